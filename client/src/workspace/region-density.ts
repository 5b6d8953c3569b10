// The density of the regions whose documents are not open, from the index document's grids (G4): laid
// onto the workspace's own density grid (annotation-index.ts) so the heat map and the "how many in
// view" estimate cover the whole image while only the regions near the view are loaded.
import { REGION_GRID, parseRegionKey, type RegionSummary } from '@tessera/shared';
import { clamp, countIn, type DensityGrid } from './annotation-index';
import type { Rect } from './geometry';
import type { ExtraDensity } from './overlay-renderer';

/** The index's counts of the regions not loaded, on a grid of the same cells as the workspace's. */
export class RegionDensity implements ExtraDensity {
  readonly counts: Uint32Array;
  /** How many annotations the regions not loaded hold, in all and per annotation type id. */
  total = 0;
  byType = new Map<number, number>();
  version = 0;

  constructor(
    private readonly grid: Pick<DensityGrid, 'cols' | 'rows' | 'cell'>,
    private readonly size: number,
  ) {
    this.counts = new Uint32Array(grid.cols * grid.rows);
  }

  /** Recounts from the index, leaving out the regions in `loaded` (their shapes count themselves). */
  update(index: ReadonlyMap<string, RegionSummary>, loaded: ReadonlySet<string>): void {
    const { cols, rows, cell } = this.grid;
    this.counts.fill(0);
    this.total = 0;
    const byType = new Map<number, number>();
    const step = this.size / REGION_GRID;
    for (const [key, summary] of index) {
      if (loaded.has(key) || summary.count === 0) continue;
      const region = parseRegionKey(key);
      if (region === null) continue;
      this.total += summary.count;
      for (const [type, n] of Object.entries(summary.types))
        byType.set(Number(type), (byType.get(Number(type)) ?? 0) + n);
      summary.grid.forEach((n, i) => {
        if (n === 0) return;
        // Each region cell's count goes to the workspace cell holding its centre.
        const x = region.x * this.size + ((i % REGION_GRID) + 0.5) * step;
        const y = region.y * this.size + (Math.floor(i / REGION_GRID) + 0.5) * step;
        const c = clamp(Math.floor(x / cell), cols);
        const r = clamp(Math.floor(y / cell), rows);
        const at = r * cols + c;
        this.counts[at] = (this.counts[at] ?? 0) + n;
      });
    }
    this.byType = byType;
    this.version++;
  }

  /** About how many of those annotations lie in `rect` (the cells it covers). */
  estimateIn(rect: Rect): number {
    return countIn(this.grid, this.counts, rect);
  }
}
