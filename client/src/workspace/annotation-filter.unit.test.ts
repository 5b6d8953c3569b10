import { describe, expect, it } from 'vitest';
import type { IndexedAnnotation } from './annotation-index';
import { countByType, firstMatches, type ListFilter } from './annotation-filter';

function item(id: string, type: number, by: number, description: string, at: number): IndexedAnnotation {
  return {
    id,
    points: [],
    frame: null,
    minX: 0,
    minY: 0,
    maxX: 0,
    maxY: 0,
    record: {
      type,
      vector: null,
      deleted: false,
      description,
      meta: null,
      created: { by, at, generated: false, score: null },
      edited: { by, at },
    },
  };
}

const all = [
  item('a', 1, 1, 'large mitotic figure', 3),
  item('b', 2, 2, '', 1),
  item('c', 1, 2, 'unsure', 2),
];
const filter = {
  type: null,
  search: '',
  typeName: (id: number) => (id === 1 ? 'Mitosis' : 'Nucleus'),
  userName: (id: number) => (id === 1 ? 'alice' : 'bob'),
};

describe('the annotation list filter', () => {
  it('filters by type and searches label, creator and description (all words), oldest first', () => {
    const ids = (f: ListFilter) => firstMatches(all, f, 10).first.map((a) => a.id);
    expect(ids(filter)).toEqual(['b', 'c', 'a']);
    expect(ids({ ...filter, type: 1 })).toEqual(['c', 'a']);
    expect(ids({ ...filter, search: 'BOB' })).toEqual(['b', 'c']);
    expect(ids({ ...filter, search: 'mitosis alice' })).toEqual(['a']);
    expect(ids({ ...filter, search: 'unsure' })).toEqual(['c']);
    expect(firstMatches(all, { ...filter, search: 'nothing' }, 10)).toEqual({ first: [], total: 0 });
  });

  it('keeps the first matches in creation order and counts them all, as a full sort would', () => {
    // Many equal creation times (a bulk import), ties broken by id; arrival order shuffled.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const many = Array.from({ length: 2000 }, (_, i) =>
      item(`id-${Math.floor(random() * 1e6)}-${i}`, 1 + (i % 3), 1, '', Math.floor(random() * 50)),
    );
    const sorted = [...many]
      .filter((a) => a.record.type !== 2)
      .sort((a, b) => a.record.created.at - b.record.created.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const keep = (a: IndexedAnnotation) => a.record.type !== 2;
    for (const limit of [0, 1, 7, 200, 5000]) {
      const { first, total } = firstMatches(many, { ...filter, keep }, limit);
      expect(total).toBe(sorted.length);
      expect(first.map((a) => a.id)).toEqual(sorted.slice(0, limit).map((a) => a.id));
    }
  });

  it('counts per type', () => {
    expect([...countByType(all)]).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});
