import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { drfErrorMap } from './drf-errors.js';
import {
  DATETIME_MESSAGE,
  drfBoolean,
  drfDateTime,
  drfInteger,
  drfIntegerChoice,
  drfNumber,
  epochMsOf,
  isoTextOf,
} from './drf-fields.js';
import { id, text } from './common.js';

/** The DRF message a schema gives for `value` in field `f`, or the parsed value. */
function parse(schema: z.ZodType, value: unknown): { ok: unknown } | { error: string[] } {
  const result = z
    .object({ f: schema })
    .safeParse(value === undefined ? {} : { f: value }, { error: drfErrorMap });
  return result.success ? { ok: result.data.f } : { error: result.error.issues.map((i) => i.message) };
}

describe('drfBoolean', () => {
  it.each([true, 1, 1.0, '1', 't', 'T', 'y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])(
    'reads %j as true, as DRF does',
    (value) => {
      expect(parse(drfBoolean(), value)).toEqual({ ok: true });
    },
  );
  it.each([
    false,
    0,
    '0',
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
  ])('reads %j as false, as DRF does', (value) => {
    expect(parse(drfBoolean(), value)).toEqual({ ok: false });
  });
  it.each(['tRUE', 'yes ', 2, '', [], {}])('refuses %j with "Must be a valid boolean."', (value) => {
    expect(parse(drfBoolean(), value)).toEqual({ error: ['Must be a valid boolean.'] });
  });
});

describe('drfInteger', () => {
  it.each([
    [40, 40],
    ['40', 40],
    [40.0, 40],
    ['40.0', 40],
    [' 40 ', 40],
    ['-3', -3],
    ['+7', 7],
  ])('reads %j as %d', (value, expected) => {
    expect(parse(drfInteger(), value)).toEqual({ ok: expected });
  });
  it.each([40.5, '40.5', 'forty', '', true, null])('refuses %j', (value) => {
    expect(parse(drfInteger(), value)).toEqual({
      error: [value === null ? 'This field may not be null.' : 'A valid integer is required.'],
    });
  });
  it('names the bound it breaks', () => {
    expect(parse(drfInteger({ max: 10 }), '11')).toEqual({
      error: ['Ensure this value is less than or equal to 10.'],
    });
    expect(parse(drfInteger({ min: 1 }), 0)).toEqual({
      error: ['Ensure this value is greater than or equal to 1.'],
    });
  });
});

describe('drfNumber', () => {
  it.each([
    ['1.5', 1.5],
    [1.5, 1.5],
    ['1e3', 1000],
    [' -2 ', -2],
  ])('reads %j as %d', (value, expected) => {
    expect(parse(drfNumber(), value)).toEqual({ ok: expected });
  });
  it.each(['x', '', 'NaN', 'Infinity', false])('refuses %j with "A valid number is required."', (value) => {
    expect(parse(drfNumber(), value)).toEqual({ error: ['A valid number is required.'] });
  });
});

describe('drfIntegerChoice', () => {
  it('takes a choice or its text', () => {
    expect(parse(drfIntegerChoice([0, 1, 2]), '2')).toEqual({ ok: 2 });
    expect(parse(drfIntegerChoice([0, 1, 2]), 1)).toEqual({ ok: 1 });
  });
  it("refuses others with DRF's choice message", () => {
    expect(parse(drfIntegerChoice([0, 1, 2]), 5)).toEqual({ error: ['"5" is not a valid choice.'] });
  });
});

describe('drfDateTime', () => {
  it.each([
    '2026-12-07T01:00:37.042401',
    '2026-12-07T01:00:37',
    '2026-12-07T01:00',
    '2026-12-07 01:00:37.5',
    '2026-12-07T01:00:37.042401Z',
    '2026-12-07T01:00:37+02:00',
  ])('takes %s', (value) => {
    expect(parse(drfDateTime(), value)).toEqual({ ok: value });
  });
  it.each(['2026-02-30T01:00:00', 'yesterday', '2026-12-07T25:00:00', 5])(
    "refuses %j in DRF's words",
    (value) => {
      expect(parse(drfDateTime(), value)).toEqual({ error: [DATETIME_MESSAGE] });
    },
  );
  it('says which formats it takes', () => {
    expect(DATETIME_MESSAGE).toBe(
      'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
    );
  });
});

describe('epochMsOf and isoTextOf', () => {
  it('keep microseconds both ways', () => {
    const ms = epochMsOf('2026-12-07T01:00:37.042401');
    expect(isoTextOf(ms)).toBe('2026-12-07T01:00:37.042401Z');
  });
  it('read a zone and no zone as UTC alike', () => {
    expect(epochMsOf('2026-12-07T03:00:00.000001+02:00')).toBe(epochMsOf('2026-12-07T01:00:00.000001'));
  });
  it('round-trip every microsecond of a second', () => {
    for (let micro = 0; micro < 1_000_000; micro += 997) {
      const text = `2026-12-07T01:00:37.${String(micro).padStart(6, '0')}Z`;
      expect(isoTextOf(epochMsOf(text))).toBe(text);
    }
  });
});

describe('drfErrorMap', () => {
  it('says "This field is required." only when the field is missing', () => {
    expect(parse(drfBoolean(), undefined)).toEqual({ error: ['This field is required.'] });
    expect(parse(text(), null)).toEqual({ error: ['This field may not be null.'] });
  });
  it('reports a wrong type by its type', () => {
    expect(parse(text(), 5)).toEqual({ error: ['Not a valid string.'] });
    expect(parse(z.array(id), 'abc')).toEqual({ error: ['Expected a list of items but got type "str".'] });
  });
  it('reports a too long text and a blank one as DRF does', () => {
    expect(parse(text().max(3), 'abcd')).toEqual({
      error: ['Ensure this field has no more than 3 characters.'],
    });
    expect(parse(text().min(1), '')).toEqual({ error: ['This field may not be blank.'] });
  });
  it('reports a value outside an enum as not a valid choice', () => {
    expect(parse(z.enum(['a', 'b']), 'x')).toEqual({ error: ['"x" is not a valid choice.'] });
  });
  it("keeps a schema's own message", () => {
    expect(parse(z.string().regex(/^#/, 'Enter a colour.'), 'red')).toEqual({ error: ['Enter a colour.'] });
  });
});

describe('id', () => {
  it('takes a primary key as a number or its text', () => {
    expect(parse(id, '3')).toEqual({ ok: 3 });
  });
  it("refuses other types and ids that cannot exist in DRF's words", () => {
    expect(parse(id, 'abc')).toEqual({ error: ['Incorrect type. Expected pk value, received str.'] });
    expect(parse(id, 0)).toEqual({ error: ['Invalid pk "0" - object does not exist.'] });
  });
});
