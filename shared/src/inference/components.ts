/** One connected set of mask pixels, with what the detectors need of it. */
export interface Component {
  readonly label: number;
  readonly area: number;
  /** Its bounding box (x2, y2 exclusive: pixel corners) and centroid, in pixel coordinates. */
  readonly box: { x1: number; y1: number; x2: number; y2: number; cx: number; cy: number };
  /** Mean of `values` over the component. */
  readonly mean: number;
  /** Index of its first pixel in raster order (a start for contour tracing). */
  readonly first: number;
}

/**
 * 8-connected components of a mask by flood fill; `labels` holds each pixel's component (1-based,
 * 0 = unset). Self-contained (the server's detector threads run its source text).
 */
export function connectedComponents(
  mask: Uint8Array,
  values: Float32Array,
  width: number,
  height: number,
): { labels: Int32Array; components: Component[] } {
  const labels = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  const components: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const label = components.length + 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    labels[start] = label;
    let area = 0;
    let sumX = 0;
    let sumY = 0;
    let sumV = 0;
    let minX = width;
    let minY = height;
    let maxX = 0;
    let maxY = 0;
    while (head < tail) {
      const p = queue[head++] ?? 0;
      const x = p % width;
      const y = (p - x) / width;
      area++;
      sumX += x;
      sumY += y;
      sumV += values[p] ?? 0;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] !== 0 && labels[q] === 0) {
            labels[q] = label;
            queue[tail++] = q;
          }
        }
      }
    }
    components.push({
      label,
      area,
      box: { x1: minX, y1: minY, x2: maxX + 1, y2: maxY + 1, cx: sumX / area + 0.5, cy: sumY / area + 0.5 },
      mean: sumV / area,
      first: start,
    });
  }
  return { labels, components };
}
