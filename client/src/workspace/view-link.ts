// A link to a place on an image: `/images/<id>?view=<x>,<y>,<width>,<height>` in level-0 pixels.
// A fresh browser opens that link straight at the place: the viewer starts there (no whole-slide
// tiles first) and the regions in view start loading as soon as the index says where they are.
import type { Rect } from './geometry';

/** The search parameter that holds the view. */
export const VIEW_PARAM = 'view';

/**
 * The image rectangle a `view` parameter names, clipped to the image; null when it is absent,
 * malformed or outside the image (the workspace then opens at whole-slide zoom as usual).
 */
export function parseView(value: string | null, image: { width: number; height: number }): Rect | null {
  if (value === null) return null;
  const parts = value.split(',');
  if (parts.length !== 4) return null;
  const numbers = parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p.trim()) ? Number(p) : NaN));
  const [x, y, width, height] = numbers as [number, number, number, number];
  if (!numbers.every(Number.isFinite) || width <= 0 || height <= 0) return null;
  const minX = Math.max(0, x);
  const minY = Math.max(0, y);
  const maxX = Math.min(image.width, x + width);
  const maxY = Math.min(image.height, y + height);
  if (maxX <= minX || maxY <= minY) return null;
  return { minX, minY, maxX, maxY };
}

/** The `view` parameter for an image rectangle, in whole pixels. */
export function formatView(view: Rect): string {
  const x = Math.round(view.minX);
  const y = Math.round(view.minY);
  return [x, y, Math.max(1, Math.round(view.maxX) - x), Math.max(1, Math.round(view.maxY) - y)].join(',');
}

/** The address of `view` on the page at `location` (its other parameters kept, `annotation` dropped). */
export function viewLink(location: { origin: string; pathname: string; search: string }, view: Rect): string {
  const params = new URLSearchParams(location.search);
  params.delete('annotation');
  params.set(VIEW_PARAM, formatView(view));
  // Commas need no escaping in a query: keep the link readable.
  return `${location.origin}${location.pathname}?${params.toString().replaceAll('%2C', ',')}`;
}
