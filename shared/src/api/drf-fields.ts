import { z } from 'zod';

/**
 * Request fields parsed as Django REST Framework parses them, so that EXACT's clients (EXACT-Sync
 * sends `"closed": 1`, notebooks send `"40"` from form-like dicts) are understood as EXACT's server
 * understood them. Each builder is a zod schema whose output is the plain type (boolean, number,
 * ISO text) and whose documented input is that type too.
 */

/** DRF's BooleanField.TRUE_VALUES (Python's `1 == 1.0 == True`, so the numbers 1 and 1.0 are in). */
const TRUE_VALUES: ReadonlySet<unknown> = new Set<unknown>([
  't',
  'T',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  '1',
  1,
  true,
]);
/** DRF's BooleanField.FALSE_VALUES. */
const FALSE_VALUES: ReadonlySet<unknown> = new Set<unknown>([
  'f',
  'F',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '0',
  0,
  false,
]);

/** `value` as DRF's BooleanField reads it, or undefined when DRF answers "Must be a valid boolean.". */
export function drfBooleanValue(value: unknown): boolean | undefined {
  if (TRUE_VALUES.has(value)) return true;
  if (FALSE_VALUES.has(value)) return false;
  return undefined;
}

/** DRF's IntegerField: `int(re.sub(r'\.0*\s*$', '', str(value)))`, so "40", " 40", "40.0" and 40.0 pass. */
export function drfIntegerValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || value.length > 1000) return undefined;
  const digits = value
    .replace(/\.0*\s*$/, '')
    .trim()
    .replace(/^\+/, '');
  if (!/^-?\d+$/.test(digits)) return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** DRF's FloatField: `float(value)` of a number or numeric text; infinities and NaN are refused. */
export function drfNumberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.length > 1000) return undefined;
  const trimmed = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

const DATETIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Whether `text` is an ISO 8601 date or date-time (with or without zone, seconds, up to six fraction
 * digits; Django's parse_datetime) that exists ("2020-02-30" does not) and that PostgreSQL's
 * timestamptz takes as it is: years 0001 to 9999, zone offsets to 15:59.
 */
export function isDateTimeText(text: string): boolean {
  const match = DATETIME_TEXT.exec(text);
  if (!match) return false;
  const part = (i: number) => Number(match[i] ?? 0);
  const [year, month, day] = [part(1), part(2), part(3)];
  if (year < 1 || part(4) > 23 || part(5) > 59 || part(6) > 59) return false;
  const zone = /^[+-](\d{2}):?(\d{2})?$/.exec(match[8] ?? '');
  if (zone && (Number(zone[1]) > 15 || Number(zone[2] ?? 0) > 59)) return false;
  // A Date rolls impossible days over into the next month; an existing day survives unchanged.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Milliseconds since the epoch of an ISO 8601 text (isDateTimeText), UTC when it names no zone, with
 * its microseconds as the fraction: "…37.042401" is …037042.401. A JavaScript Date keeps only
 * milliseconds; EXACT (and PostgreSQL) keep microseconds, which offline clients send back unchanged.
 */
export function epochMsOf(text: string): number {
  const match = DATETIME_TEXT.exec(text);
  if (!match || !isDateTimeText(text)) throw new Error(`Not an ISO 8601 date-time: ${text}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const micros = fraction.padEnd(6, '0');
  const offset = /^[zZ]$/.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
  const wholeMs = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${micros.slice(0, 3)}${offset}`);
  // One division of an exact integer: the double nearest the microsecond, which isoTextOf reads back.
  return (wholeMs * 1000 + Number(micros.slice(3))) / 1000;
}

/** The UTC ISO 8601 text with six fraction digits of a time in epoch milliseconds (epochMsOf's inverse). */
export function isoTextOf(ms: number): string {
  const micros = Math.round(ms * 1000);
  const wholeMs = Math.floor(micros / 1000);
  const iso = new Date(wholeMs).toISOString();
  return `${iso.slice(0, -1)}${String(micros - wholeMs * 1000).padStart(3, '0')}Z`;
}

const DATETIME_FORMAT = 'YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]';
/** DRF's DateTimeField message for text it cannot read. */
export const DATETIME_MESSAGE = `Datetime has wrong format. Use one of these formats instead: ${DATETIME_FORMAT}.`;

/**
 * A schema's message for a present value of the wrong type; a missing or null value keeps the general
 * message, and so do the schema's checks (zod hands them the schema's error too).
 */
function unlessAbsent(message: string) {
  return (issue: { code?: string; input?: unknown }): string | undefined =>
    issue.code !== 'invalid_type' || issue.input === undefined || issue.input === null ? undefined : message;
}

/** Replaces what DRF would read by what it reads; leaves the rest for the inner schema to refuse. */
function readAs(read: (value: unknown) => unknown) {
  return (value: unknown): unknown => {
    const parsed = read(value);
    return parsed === undefined ? value : parsed;
  };
}

/** A boolean as DRF's BooleanField takes it: true/false, 1/0, "1"/"0", "true", "yes", "on", "f", ... */
export function drfBoolean() {
  return z.preprocess(readAs(drfBooleanValue), z.boolean()).meta({ type: 'boolean' });
}

/** An integer as DRF's IntegerField takes it: 40, "40", 40.0, "40.0" (not 40.5); bounds inclusive. */
export function drfInteger(bounds: { min?: number; max?: number } = {}) {
  let inner = z.number({ error: unlessAbsent('A valid integer is required.') }).int();
  if (bounds.min !== undefined) inner = inner.min(bounds.min);
  if (bounds.max !== undefined) inner = inner.max(bounds.max);
  return z
    .preprocess(readAs(drfIntegerValue), inner)
    .meta({ type: 'integer', minimum: bounds.min, maximum: bounds.max });
}

/** A number as DRF's FloatField takes it: 1.5 or "1.5"; bounds inclusive. */
export function drfNumber(bounds: { min?: number; max?: number } = {}) {
  let inner = z.number();
  if (bounds.min !== undefined) inner = inner.min(bounds.min);
  if (bounds.max !== undefined) inner = inner.max(bounds.max);
  return z
    .preprocess(readAs(drfNumberValue), inner)
    .meta({ type: 'number', minimum: bounds.min, maximum: bounds.max });
}

/** One of fixed integer choices as DRF's ChoiceField takes it: the value or its text (1 or "1"). */
export function drfIntegerChoice<const T extends readonly [number, ...number[]]>(
  choices: T,
): z.ZodType<T[number]> {
  const literals = choices.map((c) => z.literal(c)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]];
  return z
    .preprocess(readAs(drfIntegerValue), z.union(literals))
    .meta({ type: 'integer', enum: [...choices] });
}

/**
 * A date-time as DRF's DateTimeField takes it: ISO 8601 with or without zone (UTC without) and with up
 * to six fraction digits, kept as the text sent (epochMsOf reads it without losing microseconds).
 */
export function drfDateTime() {
  return z
    .string({ error: unlessAbsent(DATETIME_MESSAGE) })
    .refine(isDateTimeText, DATETIME_MESSAGE)
    .meta({ format: 'date-time', example: '2024-05-01T10:11:12.123456' });
}

/**
 * A primary key as DRF's PrimaryKeyRelatedField takes it: an integer id or its text ("3"), in
 * PostgreSQL's int range; anything else in DRF's words.
 */
export function drfPrimaryKey() {
  const inner = z
    .number({
      error: (issue) =>
        unlessAbsent(`Incorrect type. Expected pk value, received ${pythonTypeName(issue.input)}.`)(issue),
    })
    .int()
    .positive({ error: (issue) => `Invalid pk "${String(issue.input)}" - object does not exist.` })
    .max(2_147_483_647, { error: (issue) => `Invalid pk "${String(issue.input)}" - object does not exist.` });
  return z
    .preprocess(readAs(drfIntegerValue), inner)
    .meta({ type: 'integer', minimum: 1, maximum: 2_147_483_647 });
}

/** The name Python gives the type of a JSON value, as DRF's messages print it ("str", "dict"). */
export function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}
