import { describe, expect, it } from 'vitest';
import { CELL_CLASSES, cellBox, placeCells, renderCell } from './cells.js';
import { mulberry32, seededUuid, subSeed } from './prng.js';

const draw = (seed: number, n: number) => {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => r.next());
};

describe('seeded randomness', () => {
  it('repeats a sequence for a seed, and differs between seeds and parts', () => {
    expect(draw(42, 1000)).toEqual(draw(42, 1000));
    expect(draw(42, 10)).not.toEqual(draw(43, 10));
    expect(subSeed(1, 'cells')).toBe(subSeed(1, 'cells'));
    expect(subSeed(1, 'cells')).not.toBe(subSeed(1, 'background'));
    const values = draw(7, 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    // Roughly uniform: each tenth of [0, 1) gets 8-12 % of the draws.
    for (let d = 0; d < 10; d++) {
      const share = values.filter((v) => Math.floor(v * 10) === d).length / values.length;
      expect(share).toBeGreaterThan(0.08);
      expect(share).toBeLessThan(0.12);
    }
  });

  it('derives version-5 UUIDs from data set, seed and key', () => {
    const id = seededUuid('cytology-slide', 1, 'cell-0');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seededUuid('cytology-slide', 1, 'cell-0')).toBe(id);
    expect(seededUuid('cytology-slide', 2, 'cell-0')).not.toBe(id);
    expect(seededUuid('cytology-slide', 1, 'cell-1')).not.toBe(id);
    expect(seededUuid('cytology-fields', 1, 'cell-0')).not.toBe(id);
  });
});

describe('generated cells', () => {
  it('places the asked number without overlaps, inside the image, in every class', () => {
    const cells = placeCells(mulberry32(3), { width: 8000, height: 6000, count: 1500 });
    expect(cells).toHaveLength(1500);
    // Plain loops collect the problems: an expect() per pair would take seconds.
    const problems: string[] = [];
    for (const [i, a] of cells.entries()) {
      const box = cellBox(a);
      if (box.x1 < 0 || box.y1 < 0 || box.x2 > 8000 || box.y2 > 6000)
        problems.push(`cell ${i} leaves the image`);
      for (const [j, b] of cells.entries()) {
        if (j > i && Math.hypot(a.cx - b.cx, a.cy - b.cy) <= a.a + b.a)
          problems.push(`cells ${i} and ${j} overlap`);
      }
    }
    expect(problems).toEqual([]);
    const labels = new Set(cells.map((c) => c.kind.label));
    expect([...labels].sort()).toEqual(CELL_CLASSES.map((k) => k.label).sort());
  });

  it('draws each cell inside its box annotation, with a dark nucleus at the centre of round cells', () => {
    for (const cell of placeCells(mulberry32(9), { width: 2000, height: 2000, count: 60 })) {
      const sprite = renderCell(cell);
      const box = cellBox(cell);
      let covered = 0;
      let outside = 0;
      for (let y = 0; y < sprite.height; y++) {
        for (let x = 0; x < sprite.width; x++) {
          if ((sprite.data[(y * sprite.width + x) * 4 + 3] ?? 0) < 128) continue;
          covered++;
          const [px, py] = [sprite.left + x, sprite.top + y];
          if (!(px >= box.x1 && px < box.x2 && py >= box.y1 && py < box.y2)) outside++;
        }
      }
      expect(outside).toBe(0);
      // The ellipse fills about pi/4 of its bounding box when upright, less when turned.
      expect(covered).toBeGreaterThan(Math.PI * cell.a * cell.b * 0.85);
      expect(renderCell(cell).data.equals(sprite.data)).toBe(true);
    }
    const kind = CELL_CLASSES.find((k) => k.label === 'Lymphocyte');
    if (!kind) throw new Error('no lymphocyte class');
    const lymphocyte = placeCells(mulberry32(1), { width: 400, height: 400, count: 1, classes: [kind] })[0];
    if (!lymphocyte) throw new Error('no cell placed');
    const sprite = renderCell(lymphocyte);
    const centre = (Math.floor(sprite.height / 2) * sprite.width + Math.floor(sprite.width / 2)) * 4;
    expect(sprite.data[centre]).toBeLessThan(110);
  });
});
