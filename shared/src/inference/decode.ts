import { connectedComponents } from './components.js';
import { simplifyPolygon, traceOutline } from './contour.js';
import type { ScoredBox } from './nms.js';

/** A model output as onnxruntime gives it (node or web). */
export interface OutputTensor {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
}

/** A region of one class found in a segmentation output, in input pixels. */
export interface DecodedRegion extends ScoredBox {
  readonly label: number;
  readonly cx: number;
  readonly cy: number;
  /** Flat [x0, y0, x1, y1, ...] outline corners. */
  readonly polygon: number[];
}

/** Rows x1, y1, x2, y2, score[, class] of [N, 5 | 6] (or [1, N, 5 | 6]) with a score of at least `minScore`. */
export function decodeBoxes(output: OutputTensor, minScore: number): ScoredBox[] {
  const dims = output.dims[0] === 1 && output.dims.length === 3 ? output.dims.slice(1) : output.dims;
  const [rows, columns] = dims;
  if (dims.length !== 2 || rows === undefined || (columns !== 5 && columns !== 6)) {
    throw new Error(`a box model must output [N, 5] or [N, 6], not [${output.dims.join(', ')}]`);
  }
  const boxes: ScoredBox[] = [];
  for (let r = 0; r < rows; r++) {
    const at = (c: number) => output.data[r * columns + c] ?? 0;
    const score = at(4);
    if (!(score >= minScore) || at(2) <= at(0) || at(3) <= at(1)) continue;
    const box = { x1: at(0), y1: at(1), x2: at(2), y2: at(3), score: Math.min(1, score) };
    boxes.push(columns === 6 ? { ...box, label: Math.round(at(5)) } : box);
  }
  return boxes;
}

/**
 * Regions of a per-pixel class output [1, C, H, W]: each pixel takes its highest class (with one
 * channel, class 1 where the value exceeds 0.5); 8-connected regions of class 1 and up become
 * outlines, scored by the mean softmax probability of their class.
 */
export function decodeSegmentation(output: OutputTensor, minArea: number, minScore: number): DecodedRegion[] {
  const [batch, classes, height, width] = output.dims;
  if (output.dims.length !== 4 || batch !== 1 || !classes || !height || !width) {
    throw new Error(
      `a segmentation model must output [1, classes, height, width], not [${output.dims.join(', ')}]`,
    );
  }
  const plane = width * height;
  const winner = new Uint8Array(plane);
  const probability = new Float32Array(plane);
  for (let p = 0; p < plane; p++) {
    if (classes === 1) {
      const v = output.data[p] ?? 0;
      winner[p] = v > 0.5 ? 1 : 0;
      probability[p] = v > 0.5 ? Math.min(1, v) : 1 - v;
      continue;
    }
    let best = 0;
    let top = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = output.data[c * plane + p] ?? 0;
      if (v > top) {
        top = v;
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp((output.data[c * plane + p] ?? 0) - top);
    winner[p] = best;
    probability[p] = 1 / sum;
  }
  const regions: DecodedRegion[] = [];
  for (let label = 1; label < Math.max(2, classes); label++) {
    const mask = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) mask[p] = winner[p] === label ? 1 : 0;
    const { labels, components } = connectedComponents(mask, probability, width, height);
    for (const c of components) {
      if (c.area < minArea || c.mean < minScore) continue;
      const outline = simplifyPolygon(traceOutline(labels, width, height, c.label, c.first), 0.75);
      regions.push({
        label,
        ...c.box,
        score: c.mean,
        polygon: outline,
      });
    }
  }
  return regions;
}
