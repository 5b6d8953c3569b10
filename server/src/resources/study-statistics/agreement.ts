/*
 * Agreement between the readers of a blind study (pure): their annotations on each image matched by
 * matching.ts, then kappas over the class labels (kappa.ts).
 *
 * Items: every matched pair is one item rated with both readers' labels; every annotation left
 * unmatched is one item the other reader rated "none" (they marked nothing there). So a kappa here
 * measures detection and classification together; `kappaMatched` only the classes of what both marked.
 * Nothing is ever rated "none" by everyone, so "none" agreement is never counted (the usual caveat of
 * kappa for detections: the items are only the things someone marked).
 *
 * Image-level labels (annotations without geometry) are matched among themselves: any two on the same
 * image and frame may pair, labels of the same class first, then the rest in the order they were
 * made. So two readers grading an image differently make one item with two classes, not two misses.
 */
import { cohenKappa, fleissKappa, type Category } from './kappa.js';
import {
  assignGreedily,
  matchScore,
  scoredPairs,
  type Candidate,
  type MatchRule,
  type Shape,
} from './matching.js';

/** An annotation: its bounding box (zeros for image-level labels) and its class (annotation type). */
export interface RatedShape extends Shape {
  readonly label: number;
  /** An image-level label: no geometry, matched only with other image-level labels. */
  readonly imageLevel?: boolean;
}

/** How one kind of annotation is paired: which annotations it takes, their scores, the candidates. */
export interface Pairer {
  readonly takes: (shape: RatedShape) => boolean;
  readonly score: (a: RatedShape, b: RatedShape) => number | null;
  readonly candidates: <S extends Shape>(
    a: readonly S[],
    b: readonly RatedShape[],
    score: (s: S, t: RatedShape) => number | null,
  ) => Candidate[];
}

/** Annotations with a place, matched by matching.ts's rule, candidates from its grid. */
export function byPlace(rule: MatchRule): Pairer {
  return {
    takes: (shape) => shape.imageLevel !== true,
    score: (a, b) => matchScore(a, b, rule),
    candidates: (a, b, score) => scoredPairs(a, b, rule, score),
  };
}

/** Image-level labels: every pair on the same frame, the same class scoring higher. */
export const byImageLabel: Pairer = {
  takes: (shape) => shape.imageLevel === true,
  score: (a, b) => (a.frame !== b.frame ? null : a.label === b.label ? 1 : 0.5),
  candidates: (a, b, score) =>
    a.flatMap((s, i) =>
      b.flatMap((t, j) => {
        const value = score(s, t);
        return value === null ? [] : [{ i, j, score: value }];
      }),
    ),
};

const pairers = (rule: MatchRule): Pairer[] => [byPlace(rule), byImageLabel];

/** One image: each reader's annotations on it (a reader with none may be absent). */
export type ImageReadings = ReadonlyMap<number, readonly RatedShape[]>;

export const NONE = 'none';

export interface PairResult {
  readonly matched: number;
  readonly onlyA: number;
  readonly onlyB: number;
  /** 2 matched / (count a + count b): the F1 score taking either reader as the reference. */
  readonly f1: number | null;
  readonly kappa: number | null;
  readonly kappaMatched: number | null;
}

/** Cohen's kappa and detection F1 of readers a and b over all images. */
export function pairAgreement(
  images: readonly ImageReadings[],
  a: number,
  b: number,
  rule: MatchRule,
): PairResult {
  const rated: [Category, Category][] = [];
  let matched = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const image of images) {
    for (const pairer of pairers(rule)) {
      const shapesA = (image.get(a) ?? []).filter((shape) => pairer.takes(shape));
      const shapesB = (image.get(b) ?? []).filter((shape) => pairer.takes(shape));
      const matching = assignGreedily(
        shapesA.length,
        shapesB.length,
        pairer.candidates(shapesA, shapesB, pairer.score),
      );
      // Loops, not push(...items): an image can hold more annotations than a call takes arguments.
      for (const [i, j] of matching.pairs) rated.push([label(shapesA[i]), label(shapesB[j])]);
      for (const i of matching.onlyA) rated.push([label(shapesA[i]), NONE]);
      for (const j of matching.onlyB) rated.push([NONE, label(shapesB[j])]);
      matched += matching.pairs.length;
      onlyA += matching.onlyA.length;
      onlyB += matching.onlyB.length;
    }
  }
  const total = 2 * matched + onlyA + onlyB;
  return {
    matched,
    onlyA,
    onlyB,
    f1: total === 0 ? null : (2 * matched) / total,
    kappa: cohenKappa(rated),
    kappaMatched: cohenKappa(rated.filter(([x, y]) => x !== NONE && y !== NONE)),
  };
}

/** Fleiss' kappa of all `readers` over all images: each cluster of matched annotations is one item. */
export function fleissAgreement(
  images: readonly ImageReadings[],
  readers: readonly number[],
  rule: MatchRule,
): { items: number; kappa: number | null } {
  const ratings: Category[][] = [];
  for (const image of images) {
    for (const pairer of pairers(rule)) {
      const lists = readers.map((reader) => (image.get(reader) ?? []).filter((shape) => pairer.takes(shape)));
      for (const cluster of clusterReaders(lists, pairer)) {
        ratings.push(cluster.map((index, r) => (index === null ? NONE : label(lists[r]?.[index]))));
      }
    }
  }
  return { items: ratings.length, kappa: fleissKappa(ratings) };
}

interface Cluster extends Shape {
  /** Per reader, the index of their annotation in the cluster, or null. */
  readonly members: (number | null)[];
  readonly shapes: RatedShape[];
}

/**
 * Groups the readers' annotations on one image into clusters of at most one annotation per reader:
 * reader 0's annotations start the clusters; each next reader's are matched greedily to the clusters
 * (a cluster scores as its best-matching member), and those left unmatched start new clusters. The
 * result can depend on the readers' order when shapes overlap ambiguously.
 */
export function clusterReaders(
  lists: readonly (readonly RatedShape[])[],
  pairer: Pairer,
): (number | null)[][] {
  let clusters: Cluster[] = [];
  lists.forEach((shapes, reader) => {
    const candidates = pairer.candidates(clusters, shapes, (cluster, shape) =>
      bestScore(cluster, shape, pairer),
    );
    const matching = assignGreedily(clusters.length, shapes.length, candidates);
    const grown = [...clusters];
    for (const [i, j] of matching.pairs) {
      const cluster = clusters[i];
      const shape = shapes[j];
      if (cluster && shape) grown[i] = join(cluster, shape, reader, j);
    }
    const started = matching.onlyB.flatMap((j) => {
      const shape = shapes[j];
      return shape ? [join(empty(shape, lists.length), shape, reader, j)] : [];
    });
    clusters = [...grown, ...started];
  });
  return clusters.map((cluster) => cluster.members);
}

function bestScore(cluster: Cluster, shape: RatedShape, pairer: Pairer): number | null {
  let best: number | null = null;
  for (const member of cluster.shapes) {
    const score = pairer.score(member, shape);
    if (score !== null && (best === null || score > best)) best = score;
  }
  return best;
}

function empty(shape: Shape, readers: number): Cluster {
  return { ...box(shape), members: Array.from({ length: readers }, () => null), shapes: [] };
}

function join(cluster: Cluster, shape: RatedShape, reader: number, index: number): Cluster {
  const members = [...cluster.members];
  members[reader] = index;
  const shapes = [...cluster.shapes, shape];
  return {
    frame: shape.frame,
    xMin: Math.min(...shapes.map((s) => s.xMin)),
    yMin: Math.min(...shapes.map((s) => s.yMin)),
    xMax: Math.max(...shapes.map((s) => s.xMax)),
    yMax: Math.max(...shapes.map((s) => s.yMax)),
    members,
    shapes,
  };
}

const box = (s: Shape): Shape => ({ frame: s.frame, xMin: s.xMin, yMin: s.yMin, xMax: s.xMax, yMax: s.yMax });

function label(shape: RatedShape | undefined): Category {
  if (shape === undefined) throw new Error('matching answered an index outside its list');
  return shape.label;
}
