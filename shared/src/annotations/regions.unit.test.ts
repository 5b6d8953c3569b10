import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  parseRegionKey,
  readRegionIndex,
  regionKey,
  regionOfVector,
  regionsMeeting,
  REGION_GRID,
  summarizeRegion,
  writeRegionSummary,
} from './regions.js';

describe('regions (G1-G4)', () => {
  it('G1: an annotation belongs to the region of its box centre, image-level labels to none', () => {
    expect(regionOfVector({ x1: 10, y1: 10, x2: 20, y2: 20 }, 4096)).toEqual({ x: 0, y: 0 });
    // Drawn across a border: the centre decides.
    expect(regionOfVector({ x1: 4000, y1: 10, x2: 4300, y2: 20 }, 4096)).toEqual({ x: 1, y: 0 });
    expect(regionOfVector({ x1: 4000, y1: 8190, x2: 4100, y2: 8193 }, 4096)).toEqual({ x: 0, y: 1 });
    expect(regionOfVector(null, 4096)).toBeNull();
  });

  it('G1: every box has exactly one region, the one holding its centre', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(512, 4096, 8192),
        (x, y, w, h, size) => {
          const region = regionOfVector({ x1: x, y1: y, x2: x + w, y2: y + h }, size) ?? { x: -1, y: -1 };
          const cx = x + w / 2;
          const cy = y + h / 2;
          expect(cx >= region.x * size && cx < (region.x + 1) * size).toBe(true);
          expect(cy >= region.y * size && cy < (region.y + 1) * size).toBe(true);
          expect(parseRegionKey(regionKey(region))).toEqual(region);
        },
      ),
    );
  });

  it('G3: a summary counts live annotations, their extent, grid cells and types', () => {
    const summary = summarizeRegion({ x: 1, y: 0 }, 4096, [
      { box: { xMin: 4096, yMin: 0, xMax: 4106, yMax: 10 }, type: 3 },
      { box: { xMin: 8000, yMin: 4000, xMax: 9000, yMax: 4500 }, type: 3 },
      { box: null, type: 4 },
    ]);
    expect(summary.count).toBe(2);
    expect(summary.extent).toEqual([4096, 0, 9000, 4500]);
    expect(summary.types).toEqual({ 3: 2 });
    expect(summary.grid[0]).toBe(1);
    // The second one's centre lies past the region's right edge: clamped into the last column.
    expect(summary.grid[(REGION_GRID - 1) * REGION_GRID + REGION_GRID - 1]).toBe(1);
  });

  it('G3/G4: the index is written only when it changed, and found by where annotations lie', () => {
    const doc = new Y.Doc();
    const moved = summarizeRegion({ x: 0, y: 0 }, 4096, [
      { box: { xMin: 100, yMin: 100, xMax: 9000, yMax: 200 }, type: 1 },
    ]);
    expect(writeRegionSummary(doc, { x: 0, y: 0 }, moved)).toBe(true);
    expect(writeRegionSummary(doc, { x: 0, y: 0 }, moved)).toBe(false);
    doc.getMap<string>('regionIndex').set('9.9', '{"not":"a summary"}');
    const index = readRegionIndex(doc);
    expect([...index.keys()]).toEqual(['0.0']);
    // The annotation reaches into region 2.0: a view there must load region 0.0.
    expect(regionsMeeting(index, { x: 8500, y: 0, width: 1000, height: 1000 })).toEqual(['0.0']);
    expect(regionsMeeting(index, { x: 9500, y: 0, width: 1000, height: 1000 })).toEqual([]);
  });
});
