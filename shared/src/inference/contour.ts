/*
 * Outlines of labelled regions as polygons: the outer boundary followed along pixel edges (corner
 * coordinates, so a one-pixel region is a unit square), then simplified by Douglas-Peucker.
 * Self-contained (the server's detector threads run its source text).
 */

/**
 * The outer boundary of the 8-connected region `label`, starting at its first pixel in raster order,
 * as a flat [x0, y0, x1, y1, ...] list of corners, clockwise (y down), without repeating the start.
 */
export function traceOutline(
  labels: Int32Array,
  width: number,
  height: number,
  label: number,
  first: number,
): number[] {
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === label;
  const startX = first % width;
  const startY = (first - startX) / width;
  const points: number[] = [];
  let x = startX;
  let y = startY;
  let d = 0;
  // Bounded: a boundary has at most 4 edges per pixel.
  for (let steps = 0; steps <= 4 * width * height + 4; steps++) {
    if (d === 0) x++;
    else if (d === 1) y++;
    else if (d === 2) x--;
    else y--;
    // The pixels ahead-left and ahead-right of the vertex, seen along the direction of travel.
    const left =
      d === 0 ? inside(x, y - 1) : d === 1 ? inside(x, y) : d === 2 ? inside(x - 1, y) : inside(x - 1, y - 1);
    const right =
      d === 0 ? inside(x, y) : d === 1 ? inside(x - 1, y) : d === 2 ? inside(x - 1, y - 1) : inside(x, y - 1);
    const turn = left ? 3 : right ? 0 : 1;
    if (turn !== 0) points.push(x, y);
    d = (d + turn) % 4;
    if (x === startX && y === startY && d === 0) break;
  }
  return points;
}

/**
 * Douglas-Peucker simplification of a closed polygon (flat list): drops corners closer than
 * `tolerance` to the line of their neighbours that are kept.
 */
export function simplifyPolygon(points: readonly number[], tolerance: number): number[] {
  const n = points.length / 2;
  if (n <= 4) return [...points];
  const px = (i: number): number => points[2 * (i % n)] ?? 0;
  const py = (i: number): number => points[2 * (i % n) + 1] ?? 0;
  // Split the ring at the point farthest from the first, then simplify both chains.
  let far = 1;
  for (let i = 1; i < n; i++) {
    if (Math.hypot(px(i) - px(0), py(i) - py(0)) > Math.hypot(px(far) - px(0), py(far) - py(0))) far = i;
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = 1;
  keep[far] = 1;
  keep[n] = 1;
  const stack: [number, number][] = [
    [0, far],
    [far, n],
  ];
  while (stack.length > 0) {
    const [a, b] = stack.pop() ?? [0, 0];
    const dx = px(b) - px(a);
    const dy = py(b) - py(a);
    const length = Math.hypot(dx, dy) || 1;
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = a + 1; i < b; i++) {
      const distance = Math.abs(dy * (px(i) - px(a)) - dx * (py(i) - py(a))) / length;
      if (distance > worstDistance) {
        worst = i;
        worstDistance = distance;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push([a, worst], [worst, b]);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) out.push(px(i), py(i));
  return out;
}
