/*
 * Which annotations of different readers mark the same thing (pure).
 *
 * Two shapes on the same frame match when
 * - both have an area (bounding box wider and taller than 0): the IoU of their axis-aligned bounding
 *   boxes is at least `iouThreshold` (boxes, circles, polygons and lines alike: their bounding boxes);
 * - one of them has none (a point, or a horizontal or vertical line): their bounding boxes' centres are
 *   at most `pointDistance` pixels apart.
 * Matching is greedy and one-to-one: candidate pairs in order of score (the IoU, or 1 - distance /
 * (pointDistance + 1) for points), best first, each annotation used once; ties go to the lower
 * indexes. Greedy is what detection benchmarks (COCO, PASCAL VOC) use; it can miss the assignment that
 * maximises the number of matches when one shape overlaps two of the other reader's.
 */

export interface Shape {
  readonly frame: number | null;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

export interface MatchRule {
  readonly iouThreshold: number;
  readonly pointDistance: number;
}

/** How well two shapes match (higher is better), or null when they do not. */
export function matchScore(a: Shape, b: Shape, rule: MatchRule): number | null {
  if (a.frame !== b.frame) return null;
  if (hasArea(a) && hasArea(b)) {
    const iou = intersectionOverUnion(a, b);
    return iou >= rule.iouThreshold ? iou : null;
  }
  const distance = Math.hypot(
    (a.xMin + a.xMax - b.xMin - b.xMax) / 2,
    (a.yMin + a.yMax - b.yMin - b.yMax) / 2,
  );
  return distance <= rule.pointDistance ? 1 - distance / (rule.pointDistance + 1) : null;
}

/** The IoU of two axis-aligned boxes (0 when they do not overlap). */
export function intersectionOverUnion(a: Shape, b: Shape): number {
  const width = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
  const height = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  return intersection / (area(a) + area(b) - intersection);
}

const area = (s: Shape) => (s.xMax - s.xMin) * (s.yMax - s.yMin);
const hasArea = (s: Shape) => s.xMax > s.xMin && s.yMax > s.yMin;

export interface Matching {
  /** Index pairs [in a, in b]. */
  readonly pairs: (readonly [number, number])[];
  readonly onlyA: number[];
  readonly onlyB: number[];
}

/** Greedy one-to-one matching of two readers' shapes on one image. */
export function matchShapes(a: readonly Shape[], b: readonly Shape[], rule: MatchRule): Matching {
  return assignGreedily(
    a.length,
    b.length,
    scoredPairs(a, b, rule, (s, t) => matchScore(s, t, rule)),
  );
}

export interface Candidate {
  readonly i: number;
  readonly j: number;
  readonly score: number;
}

/** Best candidates first, each index used once; the rest are unmatched. */
export function assignGreedily(sizeA: number, sizeB: number, candidates: Candidate[]): Matching {
  candidates.sort((p, q) => q.score - p.score || p.i - q.i || p.j - q.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: [number, number][] = [];
  for (const { i, j } of candidates) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    pairs.push([i, j]);
  }
  const unused = (size: number, used: Set<number>) =>
    Array.from({ length: size }, (_, k) => k).filter((k) => !used.has(k));
  return { pairs, onlyA: unused(sizeA, usedA), onlyB: unused(sizeB, usedB) };
}

/**
 * The scored pairs of shapes that may match, found through a grid over b (cells as large as b's
 * largest shape plus the slack) so each shape of a is compared only with b's shapes in the cells
 * around it, not with all of a reader's 100,000 cells. Shapes whose boxes, grown by pointDistance,
 * do not touch can match neither by overlap nor by distance.
 */
export function scoredPairs<S extends Shape, T extends Shape>(
  a: readonly S[],
  b: readonly T[],
  rule: MatchRule,
  score: (s: S, t: T) => number | null,
): Candidate[] {
  const slack = 2 * rule.pointDistance;
  const widest = b.reduce((w, t) => Math.max(w, t.xMax - t.xMin), 0);
  const tallest = b.reduce((h, t) => Math.max(h, t.yMax - t.yMin), 0);
  const cell = Math.max(1, widest + slack, tallest + slack);
  const grid = new Map<number, number[]>();
  b.forEach((t, j) => {
    const key = cellKey(Math.floor(t.xMin / cell), Math.floor(t.yMin / cell));
    const members = grid.get(key);
    if (members) members.push(j);
    else grid.set(key, [j]);
  });
  const candidates: Candidate[] = [];
  a.forEach((s, i) => {
    // A partner's corner (xMin, yMin) lies within these bounds, so in these cells.
    const [x0, x1] = [Math.floor((s.xMin - widest - slack) / cell), Math.floor((s.xMax + slack) / cell)];
    const [y0, y1] = [Math.floor((s.yMin - tallest - slack) / cell), Math.floor((s.yMax + slack) / cell)];
    const consider = (j: number) => {
      const t = b[j];
      if (t === undefined || !near(s, t, slack)) return;
      const value = score(s, t);
      if (value !== null) candidates.push({ i, j, score: value });
    };
    // A shape far larger than the cells (a region over many tiny points) looks at every shape instead.
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > grid.size) {
      b.forEach((_, j) => {
        consider(j);
      });
      return;
    }
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) for (const j of grid.get(cellKey(cx, cy)) ?? []) consider(j);
    }
  });
  return candidates;
}

const near = (s: Shape, t: Shape, slack: number) =>
  t.xMin <= s.xMax + slack &&
  t.xMax >= s.xMin - slack &&
  t.yMin <= s.yMax + slack &&
  t.yMax >= s.yMin - slack;

/** One number per grid cell: coordinates stay within +-10,000,000 px, so cells within +-2^24. */
const cellKey = (cx: number, cy: number) => (cx + 2 ** 24) * 2 ** 26 + (cy + 2 ** 24);
