import { describe, expect, it } from 'vitest';
import type { IndexedAnnotation } from './annotation-index';
import { countByType, filterAnnotations } from './annotation-filter';

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
    expect(filterAnnotations(all, filter).map((a) => a.id)).toEqual(['b', 'c', 'a']);
    expect(filterAnnotations(all, { ...filter, type: 1 }).map((a) => a.id)).toEqual(['c', 'a']);
    expect(filterAnnotations(all, { ...filter, search: 'BOB' }).map((a) => a.id)).toEqual(['b', 'c']);
    expect(filterAnnotations(all, { ...filter, search: 'mitosis alice' }).map((a) => a.id)).toEqual(['a']);
    expect(filterAnnotations(all, { ...filter, search: 'unsure' }).map((a) => a.id)).toEqual(['c']);
    expect(filterAnnotations(all, { ...filter, search: 'nothing' })).toEqual([]);
  });

  it('counts per type', () => {
    expect([...countByType(all)]).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});
