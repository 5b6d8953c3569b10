/**
 * Formats PostgreSQL's UTC timestamp text ("2024-05-01 10:11:12.1234+00") as EXACT's ISO 8601 form
 * without time zone and with microseconds ("2024-05-01T10:11:12.123400").
 */
export function formatTimestamp(value: string | null): string | null {
  if (value === null) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:[+-]00(?::?00)?|Z)?$/.exec(
    value,
  );
  if (!match) throw new Error(`Unexpected timestamp from the database: ${value}`);
  const [, date, time, fraction = ''] = match;
  return `${date}T${time}.${fraction.padEnd(6, '0')}`;
}

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(?:Z|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Whether `text` is an ISO 8601 date or date-time that exists ("2020-02-30" does not) and that
 * PostgreSQL's timestamptz takes as it is: years 0001 to 9999, hours to 23, seconds to 59, zone
 * offsets to 15:59. A form check alone let impossible dates reach PostgreSQL, which answered 22008.
 */
export function isValidTimestampText(text: string): boolean {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return false;
  const part = (i: number) => Number(match[i] ?? 0);
  const [year, month, day] = [part(1), part(2), part(3)];
  if (year < 1 || part(4) > 23 || part(5) > 59 || part(6) > 59 || part(8) > 15 || part(9) > 59) return false;
  // A Date rolls impossible days over into the next month; an existing day survives unchanged.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** EXACT's time overrides: ISO 8601, UTC when no zone is given; now when absent. */
export function requestMillis(value: string | undefined): number {
  if (value === undefined) return Date.now();
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
}
