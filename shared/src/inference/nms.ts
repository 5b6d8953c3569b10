/** A scored box in some pixel frame (x2, y2 exclusive), with an optional class. */
export interface ScoredBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number;
  readonly label?: number;
}

/** Intersection over union of two boxes. */
export function boxIou(
  a: Pick<ScoredBox, 'x1' | 'y1' | 'x2' | 'y2'>,
  b: Pick<ScoredBox, 'x1' | 'y1' | 'x2' | 'y2'>,
): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/**
 * Greedy non-maximum suppression: boxes by falling score, each dropped when it overlaps a kept box
 * of the same class by more than `maxIou`. A grid of 256-pixel buckets keeps it near-linear.
 */
export function nonMaximumSuppression<T extends ScoredBox>(boxes: readonly T[], maxIou: number): T[] {
  const bucket = 256;
  const grid = new Map<string, T[]>();
  const kept: T[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) {
    const cells: string[] = [];
    for (let gy = Math.floor(box.y1 / bucket); gy <= Math.floor(box.y2 / bucket); gy++) {
      for (let gx = Math.floor(box.x1 / bucket); gx <= Math.floor(box.x2 / bucket); gx++)
        cells.push(`${gx},${gy}`);
    }
    const clash = cells.some((cell) =>
      (grid.get(cell) ?? []).some((other) => other.label === box.label && boxIou(box, other) > maxIou),
    );
    if (clash) continue;
    kept.push(box);
    for (const cell of cells) grid.set(cell, [...(grid.get(cell) ?? []), box]);
  }
  return kept;
}
