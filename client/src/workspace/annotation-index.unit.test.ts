import { describe, expect, it } from 'vitest';
import type { AnnotationRecord } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { annotationRecord } from '../testing/records';

describe('AnnotationIndex', () => {
  it('finds shapes in a rectangle, per frame, and leaves out deleted ones', () => {
    const index = new AnnotationIndex(10_000, 5_000);
    index.reset([
      ['a', annotationRecord({ x1: 10, y1: 10, x2: 20, y2: 20 })],
      ['b', annotationRecord({ x1: 5000, y1: 100, x2: 5010, y2: 110, frame: 2 })],
      ['c', annotationRecord({ x1: 30, y1: 30, x2: 40, y2: 40 }, { deleted: true })],
      ['label', annotationRecord(null)],
    ]);
    expect(index.size).toBe(3);
    expect(index.search({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, null).map((a) => a.id)).toEqual(['a']);
    expect(index.search({ minX: 0, minY: 0, maxX: 10_000, maxY: 5_000 }, 1).map((a) => a.id)).toEqual(['a']);
    expect(
      index
        .search({ minX: 0, minY: 0, maxX: 10_000, maxY: 5_000 }, 2)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(index.imageLabels().map((a) => a.id)).toEqual(['label']);
  });

  it('follows changes: moves, deletes and restores, keeping the density counts right', () => {
    const index = new AnnotationIndex(1000, 1000);
    index.reset([]);
    index.set('a', annotationRecord({ x1: 10, y1: 10, x2: 20, y2: 20 }));
    const whole = { minX: 0, minY: 0, maxX: 1000, maxY: 1000 };
    expect(index.estimateIn(whole)).toBe(1);
    index.set('a', annotationRecord({ x1: 900, y1: 900, x2: 910, y2: 910 }));
    expect(index.search({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, null)).toHaveLength(0);
    expect(index.estimateIn({ minX: 800, minY: 800, maxX: 1000, maxY: 1000 })).toBe(1);
    expect(index.estimateIn({ minX: 0, minY: 0, maxX: 100, maxY: 100 })).toBe(0);
    const version = index.version;
    index.set('a', annotationRecord({ x1: 900, y1: 900, x2: 910, y2: 910 }, { deleted: true }));
    expect(index.version).toBeGreaterThan(version);
    expect(index.estimateIn(whole)).toBe(0);
    expect(index.get('a')).toBeUndefined();
    index.set('a', annotationRecord({ x1: 1, y1: 1, x2: 2, y2: 2 }));
    expect(index.within({ minX: 0, minY: 0, maxX: 5, maxY: 5 }, null).map((a) => a.id)).toEqual(['a']);
    expect(index.within({ minX: 0, minY: 0, maxX: 1.5, maxY: 5 }, null)).toHaveLength(0); // only partly inside
  });

  it('builds its tree when first asked, after a reset: the density grid needs none', () => {
    const index = new AnnotationIndex(1000, 1000);
    index.reset([
      ['a', annotationRecord({ x1: 10, y1: 10, x2: 20, y2: 20 })],
      ['b', annotationRecord({ x1: 500, y1: 500, x2: 510, y2: 510 })],
    ]);
    expect(index.treePending).toBe(true);
    expect(index.estimateIn({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 })).toBe(2);
    // A change before the tree exists: it is built first, then changed.
    index.set('a', annotationRecord({ x1: 900, y1: 900, x2: 910, y2: 910 }));
    expect(index.treePending).toBe(false);
    expect(index.search({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, null)).toHaveLength(0);
    expect(index.search({ minX: 800, minY: 800, maxX: 1000, maxY: 1000 }, null).map((x) => x.id)).toEqual([
      'a',
    ]);
    index.reset([['c', annotationRecord({ x1: 1, y1: 1, x2: 2, y2: 2 })]]);
    expect(index.search({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 }, null).map((x) => x.id)).toEqual(['c']);
  });

  it('answers a viewport query over 100,000 shapes with exactly the shapes it touches', () => {
    const index = new AnnotationIndex(100_000, 100_000);
    const records: [string, AnnotationRecord][] = [];
    for (let i = 0; i < 100_000; i++) {
      const x = (i % 316) * 316;
      const y = Math.floor(i / 316) * 316;
      records.push([`id${i}`, annotationRecord({ x1: x, y1: y, x2: x + 40, y2: y + 40 })]);
    }
    index.reset(records);
    index.buildTree();
    const view = { minX: 10_000, minY: 10_000, maxX: 20_000, maxY: 15_000 };
    const found = index.search(view, null);
    // Boxes at multiples of 316, 40 wide: those starting within 40 before the view's edge touch it.
    const touching = records.filter(([, r]) => {
      const v = r.vector as { x1: number; y1: number };
      return v.x1 + 40 >= view.minX && v.x1 <= view.maxX && v.y1 + 40 >= view.minY && v.y1 <= view.maxY;
    });
    expect(found.map((a) => a.id).sort()).toEqual(touching.map(([id]) => id).sort());
    expect(index.estimateIn({ minX: 0, minY: 0, maxX: 100_000, maxY: 100_000 })).toBe(100_000);
  });

  it('counts the live proposals through resets, changes and deletions', () => {
    const index = new AnnotationIndex(1000, 1000);
    const proposal = annotationRecord(
      { x1: 0, y1: 0, x2: 10, y2: 10 },
      { created: { by: 1, at: 1, generated: true, score: 0.5 } },
    );
    index.reset([
      ['p1', proposal],
      ['p2', proposal],
      ['person', annotationRecord({ x1: 0, y1: 0, x2: 10, y2: 10 })],
    ]);
    expect(index.generatedCount).toBe(2);
    index.set('p1', { ...proposal, deleted: true });
    index.set('p2', { ...proposal, type: 2 });
    index.set('p3', proposal);
    expect(index.generatedCount).toBe(2);
    index.set('p3', null);
    expect(index.generatedCount).toBe(1);
    index.reset([]);
    expect(index.generatedCount).toBe(0);
  });

  it('lists only the live proposals, following changes and deletions', () => {
    const index = new AnnotationIndex(1000, 1000);
    const proposal = annotationRecord(
      { x1: 0, y1: 0, x2: 10, y2: 10 },
      { created: { by: 1, at: 1, generated: true, score: 0.5 } },
    );
    const ids = () => [...index.proposals()].map((a) => a.id).sort();
    index.reset([
      ['p1', proposal],
      ['person', annotationRecord({ x1: 0, y1: 0, x2: 10, y2: 10 })],
    ]);
    expect(ids()).toEqual(['p1']);
    index.set('p2', proposal);
    index.set('p1', { ...proposal, deleted: true });
    expect(ids()).toEqual(['p2']);
    index.set('p2', { ...proposal, type: 2 });
    expect([...index.proposals()][0]?.record.type).toBe(2);
  });
});
