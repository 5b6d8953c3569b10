// The million-annotation scene's layout: the demo generator's cells (demo-data placeCells, its five
// classes and their box labels) laid over a real-size slide, chunk by chunk so that any count is made
// in bounded memory and the same seed always gives the same boxes and ids. Region summaries are
// computed from the layout itself, for a branch whose server does not yet keep the region index.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const demo = await import(path.join(root, 'demo-data/dist/index.js'));
const shared = await import(path.join(root, 'shared/dist/index.js'));

/** A whole slide's level 0 (slides are 40,000-150,000 px wide). */
export const SLIDE = { width: 100_000, height: 80_000 };
/** Cells are placed per square chunk of this many pixels (each its own seeded sequence). */
const CHUNK = 2000;

/**
 * The `count` cells' box annotations over `width` x `height`, chunk by chunk (row-major): yields
 * arrays of { id, label, vector }. The count is spread evenly; placeCells may fall short in a chunk
 * too small for its share, which the caller sees in the total.
 */
export function* cellChunks({ count, width = SLIDE.width, height = SLIDE.height, seed = 1 }) {
  const columns = Math.ceil(width / CHUNK);
  const rows = Math.ceil(height / CHUNK);
  const chunks = columns * rows;
  for (let n = 0; n < chunks; n++) {
    const cx = n % columns;
    const cy = Math.floor(n / columns);
    // The share of chunk n: counts differ by at most one between chunks.
    const share = Math.floor(((n + 1) * count) / chunks) - Math.floor((n * count) / chunks);
    if (share === 0) continue;
    const w = Math.min(CHUNK, width - cx * CHUNK);
    const h = Math.min(CHUNK, height - cy * CHUNK);
    const random = demo.mulberry32(demo.subSeed(seed, `million ${cx}.${cy}`));
    const cells = demo.placeCells(random, { width: w, height: h, count: share });
    yield cells.map((cell, i) => {
      const box = demo.cellBox(cell);
      return {
        id: demo.seededUuid('million', seed, `${cx}.${cy}.${i}`),
        label: cell.kind.label,
        vector: {
          x1: box.x1 + cx * CHUNK,
          y1: box.y1 + cy * CHUNK,
          x2: box.x2 + cx * CHUNK,
          y2: box.y2 + cy * CHUNK,
        },
      };
    });
  }
}

/** The five cell classes as annotation types (name, vector type, colour) for the bench's product. */
export const LABELS = demo.CELL_LABELS;

/**
 * The region index the server would write for this layout (G3): per region key, its summary; types
 * are keyed by label. Used to choose a viewport's regions while the server does not keep the index.
 */
export function layoutRegionIndex(options, size) {
  const byRegion = new Map();
  for (const chunk of cellChunks(options)) {
    for (const a of chunk) {
      const region = shared.regionOfVector(a.vector, size);
      const key = shared.regionKey(region);
      let entry = byRegion.get(key);
      if (!entry) byRegion.set(key, (entry = { region, items: [] }));
      entry.items.push({ box: shared.boundingBox(a.vector), type: a.label });
    }
  }
  const index = new Map();
  for (const [key, { region, items }] of byRegion)
    index.set(key, shared.summarizeRegion(region, size, items));
  return index;
}
