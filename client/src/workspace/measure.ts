// Lengths and magnification from the image's resolution: microns per pixel (mpp) and the scanner's
// objective power. Where only one is known the other is estimated by the usual convention (a 40x
// objective scans at about 0.25 µm per pixel: power = 10 / mpp), and marked as an estimate.
import type { Point } from '@tessera/shared';

/** What the image says of its resolution (0: unknown). */
export interface Resolution {
  readonly mpp: number;
  readonly objectivePower: number;
}

/** The length of a polyline in image pixels. */
export function polylineLength(points: readonly Point[]): number {
  let length = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a !== undefined && b !== undefined) length += Math.hypot(b.x - a.x, b.y - a.y);
  }
  return length;
}

/** Microns per image pixel, and whether it is estimated from the objective power; null if unknown. */
export function micronsPerPixel(r: Resolution): { mpp: number; estimated: boolean } | null {
  if (r.mpp > 0) return { mpp: r.mpp, estimated: false };
  if (r.objectivePower > 0) return { mpp: 10 / r.objectivePower, estimated: true };
  return null;
}

/** A length of `pixels` image pixels as people read it: µm or mm when the resolution is known. */
export function formatLength(pixels: number, r: Resolution): string {
  const m = micronsPerPixel(r);
  if (m === null) return `${Math.round(pixels)} px`;
  const microns = pixels * m.mpp;
  const approx = m.estimated ? '≈ ' : '';
  if (microns >= 1000) return `${approx}${(microns / 1000).toFixed(2)} mm`;
  return `${approx}${microns >= 100 ? Math.round(microns) : microns.toFixed(1)} µm`;
}

/**
 * The magnification the screen shows at `scale` screen pixels per image pixel: the objective's power
 * at full resolution (scale 1), estimated from mpp when the scanner did not say; null if unknown.
 */
export function magnification(r: Resolution, scale: number): { power: number; estimated: boolean } | null {
  if (r.objectivePower > 0) return { power: r.objectivePower * scale, estimated: false };
  if (r.mpp > 0) return { power: (10 / r.mpp) * scale, estimated: true };
  return null;
}

/** A magnification as "20x", "2.5x", "0.31x". */
export function formatMagnification(m: { power: number; estimated: boolean }): string {
  const p = m.power;
  const text = p >= 10 ? Math.round(p).toString() : p >= 1 ? p.toFixed(1) : p.toFixed(2);
  return `${m.estimated ? '≈ ' : ''}${text.replace(/\.0$/, '')}x`;
}
