// Where each annotation's crop goes on a map: a regular grid in a given order, or a cluster layout that
// puts each crop in the free cell nearest to its 2D embedding, so look-alike crops end up side by side.

/** A cell of the grid. */
export interface GridCell {
  readonly col: number;
  readonly row: number;
}

/** The grid of a map of `count` crops: near-square, as few rows as the columns allow. */
export function gridShape(count: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return { columns, rows: Math.max(1, Math.ceil(count / columns)) };
}

/** Row-major placement of `count` crops: crop i in column i mod columns of row i div columns. */
export function gridLayout(count: number): { columns: number; rows: number; cells: GridCell[] } {
  const shape = gridShape(count);
  const cells = Array.from({ length: count }, (_, i) => ({
    col: i % shape.columns,
    row: Math.floor(i / shape.columns),
  }));
  return { ...shape, cells };
}

/**
 * Places 2D points on the grid without overlaps: the points are scaled to the grid's extent, then each,
 * in order of how crowded its spot is not (nearest to its ideal cell first), takes the free cell nearest
 * to it. Deterministic: ties are broken by the point's index and by ring order.
 */
export function clusterLayout(points: readonly (readonly [number, number])[]): {
  columns: number;
  rows: number;
  cells: GridCell[];
} {
  const { columns, rows } = gridShape(points.length);
  const targets = scaleToGrid(points, columns, rows);
  const order = targets
    .map((target, index) => ({ index, miss: distanceToCentre(target) }))
    .sort((a, b) => a.miss - b.miss || a.index - b.index);
  const taken = new Uint8Array(columns * rows);
  const cells: GridCell[] = new Array<GridCell>(points.length);
  for (const { index } of order) {
    const target = targets[index] ?? [0, 0];
    const cell = nearestFreeCell(target, taken, columns, rows);
    taken[cell.row * columns + cell.col] = 1;
    cells[index] = cell;
  }
  return { columns, rows, cells };
}

/** Scales points into [0, columns) x [0, rows), keeping their aspect; a degenerate extent is centred. */
function scaleToGrid(points: readonly (readonly [number, number])[], columns: number, rows: number) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const scale = Math.min(spanX > 0 ? columns / spanX : Infinity, spanY > 0 ? rows / spanY : Infinity);
  const s = Number.isFinite(scale) ? scale * 0.999 : 0;
  const offsetX = (columns - spanX * s) / 2;
  const offsetY = (rows - spanY * s) / 2;
  return points.map(([x, y]): [number, number] => [(x - minX) * s + offsetX, (y - minY) * s + offsetY]);
}

// How far a point is from the centre of the cell it falls in: points that fit their cell best go first.
function distanceToCentre([x, y]: [number, number]): number {
  return Math.hypot(x - Math.floor(x) - 0.5, y - Math.floor(y) - 0.5);
}

/** The free cell whose centre is nearest to `target`, searched ring by ring around its own cell. */
function nearestFreeCell(
  target: [number, number],
  taken: Uint8Array,
  columns: number,
  rows: number,
): GridCell {
  const home = { col: clamp(Math.floor(target[0]), columns), row: clamp(Math.floor(target[1]), rows) };
  let best: GridCell | undefined;
  let bestDistance = Infinity;
  for (let ring = 0; ring < Math.max(columns, rows); ring++) {
    // A cell of ring r is at least r - 1 cells away: once that exceeds the best so far, stop.
    if (best !== undefined && ring - 1 > bestDistance) break;
    for (let row = home.row - ring; row <= home.row + ring; row++) {
      for (let col = home.col - ring; col <= home.col + ring; col++) {
        const onRing = Math.max(Math.abs(row - home.row), Math.abs(col - home.col)) === ring;
        if (!onRing || col < 0 || row < 0 || col >= columns || row >= rows) continue;
        if (taken[row * columns + col] === 1) continue;
        const distance = Math.hypot(col + 0.5 - target[0], row + 0.5 - target[1]);
        if (distance < bestDistance) {
          best = { col, row };
          bestDistance = distance;
        }
      }
    }
  }
  if (best === undefined) throw new Error('no free cell left on the grid');
  return best;
}

function clamp(value: number, size: number): number {
  return Math.min(size - 1, Math.max(0, value));
}
