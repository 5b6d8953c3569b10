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
 * The scored pairs of shapes that may match: a sweep over b sorted by xMin, so a reader's thousands of
 * cells are not compared with every one of the other reader's. Shapes farther apart than their boxes
 * grown by pointDistance can match neither by overlap nor by distance.
 */
export function scoredPairs<S extends Shape, T extends Shape>(
  a: readonly S[],
  b: readonly T[],
  rule: MatchRule,
  score: (s: S, t: T) => number | null,
): Candidate[] {
  const slack = rule.pointDistance;
  const order = b.map((_, j) => j).sort((p, q) => (b[p]?.xMin ?? 0) - (b[q]?.xMin ?? 0));
  const widest = b.reduce((w, t) => Math.max(w, t.xMax - t.xMin), 0);
  const candidates: Candidate[] = [];
  a.forEach((s, i) => {
    const from = lowerBound(order, (j) => (b[j]?.xMin ?? 0) >= s.xMin - widest - 2 * slack);
    for (let k = from; k < order.length; k++) {
      const j = order[k] ?? 0;
      const t = b[j];
      if (t === undefined || t.xMin > s.xMax + 2 * slack) break;
      if (t.xMax < s.xMin - 2 * slack || t.yMin > s.yMax + 2 * slack || t.yMax < s.yMin - 2 * slack) continue;
      const value = score(s, t);
      if (value !== null) candidates.push({ i, j, score: value });
    }
  });
  return candidates;
}

/** The first position in `order` where `reached` holds (it holds from there on). */
function lowerBound(order: readonly number[], reached: (j: number) => boolean): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (reached(order[middle] ?? 0)) high = middle;
    else low = middle + 1;
  }
  return low;
}
