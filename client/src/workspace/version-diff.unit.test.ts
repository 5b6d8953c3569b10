import { describe, expect, it } from 'vitest';
import type { Annotation } from '@tessera/shared';
import { countShapes, diffShapes } from './version-diff';

function box(id: string, x: number, type = 1): Annotation {
  return {
    id,
    type,
    vector: { x1: x, y1: 0, x2: x + 10, y2: 10 },
    deleted: false,
    description: '',
    meta: null,
    created: { by: 1, at: 0, generated: false, score: null },
    edited: { by: 1, at: 0 },
  };
}

describe('a version diff of one image', () => {
  it('finds added, removed, moved and relabelled shapes, and leaves unchanged ones out', () => {
    const before = [box('same', 0), box('moved', 20), box('relabelled', 40), box('gone', 60)];
    const after = [box('same', 0), box('moved', 25), box('relabelled', 40, 2), box('new', 80)];
    const shapes = diffShapes(before, after);
    expect(Object.fromEntries(shapes.map((s) => [s.id, s.change]))).toEqual({
      moved: 'changed',
      relabelled: 'changed',
      new: 'added',
      gone: 'removed',
    });
    expect(shapes.find((s) => s.id === 'moved')?.before?.points[0]).toEqual({ x: 20, y: 0 });
    expect(countShapes(shapes)).toEqual({ added: 1, removed: 1, changed: 2 });
    expect(diffShapes(after, after)).toEqual([]);
  });
});
