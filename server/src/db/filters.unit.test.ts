import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { parseFilters, SqlConditions, type FilterSpec } from './filters.js';

const spec: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'x.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'x.name' },
  active: { type: 'bool', lookups: ['exact'], column: 'x.active' },
  size: { type: 'float', lookups: ['range', 'lte'], column: 'x.size' },
  member: {
    type: 'int',
    lookups: ['exact'],
    where: (c) => `EXISTS (SELECT 1 FROM m WHERE ${c('m.user_id')})`,
  },
};

describe('parseFilters', () => {
  it("reads django-filter lookups beside the lists' other parameters", () => {
    const parsed = parseFilters(spec, {
      id__in: '1,2,3',
      name__contains: 'mit',
      active: 'False',
      size__range: '0.5,2',
      limit: '10',
      offset: '0',
      cursor: 'abc',
      expand: 'team',
      fields: 'id',
      omit: 'name',
      format: 'json',
      ordering: '-id',
      search: '',
    });
    expect(parsed).toEqual([
      { name: 'id', lookup: 'in', value: [1, 2, 3] },
      { name: 'name', lookup: 'contains', value: 'mit' },
      { name: 'active', lookup: 'exact', value: false },
      { name: 'size', lookup: 'range', value: [0.5, 2] },
    ]);
  });

  it('answers bad values with one message per parameter', () => {
    try {
      parseFilters(spec, { id: '1.5', active: 'maybe', size__range: '1', id__in: '1,x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).fieldErrors).toEqual({
        id: ['Enter a whole number.'],
        active: ['Select a valid choice. maybe is not one of the available choices.'],
        size__range: ['Enter two values separated by a comma.'],
        id__in: ['Enter a whole number.'],
      });
    }
  });

  it('answers an unknown filter or lookup with a 400 naming it, not with the whole list', () => {
    const failure = (query: Record<string, string>) => {
      try {
        parseFilters(spec, query);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).fieldErrors;
      }
      return expect.unreachable();
    };
    expect(failure({ name__regex: '^a', unknown: 'x', name__in: 'a,b', id: '1' })).toEqual({
      name__regex: ['Unknown filter "name__regex": name takes the lookups exact, contains.'],
      unknown: ['Unknown filter "unknown".'],
      name__in: ['Unknown filter "name__in": name takes the lookups exact, contains.'],
    });
  });

  it('takes no inherited property of the spec for a filter', () => {
    expect(() => parseFilters(spec, { toString: '1', __proto__: 'x', constructor__in: '1' })).toThrow(
      AppError,
    );
  });

  it('refuses dates that do not exist, which PostgreSQL would answer with an error', () => {
    const timed: FilterSpec = { time: { type: 'timestamp', lookups: ['gte', 'range'], column: 'x.time' } };
    for (const value of [
      '2020-02-30',
      '2021-02-29',
      '2020-13-01',
      '0000-01-01',
      '2020-01-01T24:00',
      '2020-01-01T23:59:60',
      '2020-01-01T10:00+16:00',
    ]) {
      expect(() => parseFilters(timed, { time__gte: value }), value).toThrow(AppError);
    }
    expect(() => parseFilters(timed, { time__range: '2020-01-01,2020-02-30' })).toThrow(AppError);
    expect(parseFilters(timed, { time__gte: '2020-02-29T23:59:59.5+02:00' })).toHaveLength(1);
    expect(parseFilters(timed, { time__gte: '9999-12-31' })).toHaveLength(1);
  });

  it('refuses text PostgreSQL cannot take as a parameter (NUL)', () => {
    expect(() => parseFilters(spec, { name: 'a\u0000b' })).toThrow(AppError);
  });

  it('refuses ids beyond 32 bits rather than letting PostgreSQL fail', () => {
    expect(() => parseFilters(spec, { id: '99999999999' })).toThrow(AppError);
  });
});

describe('SqlConditions', () => {
  it('builds parameterised SQL and never inlines values', () => {
    const q = new SqlConditions();
    q.addFilters(spec, parseFilters(spec, { id__in: '1,2', name__contains: "o'brien", member: '7' }));
    expect(q.where()).toBe(
      'WHERE (x.id = ANY($1::int[])) AND (strpos(x.name, $2) > 0) AND (EXISTS (SELECT 1 FROM m WHERE m.user_id = $3::int))',
    );
    expect(q.params).toEqual([[1, 2], "o'brien", 7]);
  });

  it('forks so SELECT-only parameters stay out of the count query', () => {
    const q = new SqlConditions();
    q.add(`x.team = ${q.param(1)}`);
    const rows = q.fork();
    rows.param('only for select');
    expect(q.params).toEqual([1]);
    expect(rows.params).toEqual([1, 'only for select']);
  });
});
