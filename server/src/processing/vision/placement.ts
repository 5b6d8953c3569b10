import type { PixelRegion } from '../plugin-api.js';
import { ownedByTile, type Located, type Tile } from './tiling.js';

/** Something found in a tile's pixels: its box, centre and, for outlines, flat polygon corners. */
export interface TileFinding extends Located {
  readonly polygon?: readonly number[] | null;
}

/** A finding in level-0 pixels with its EXACT vector ({x1..y2} box, or {x1, y1, ..., xn, yn} polygon). */
export interface Placed extends Located {
  readonly vector: Record<string, number>;
}

/**
 * A tile's finding moved into level-0 pixels (`scale`: level-0 pixels per tile pixel), or null when
 * another tile reports it (`ownedByTile`).
 */
export function placeFinding(
  finding: TileFinding,
  tile: Tile,
  region: PixelRegion,
  scale: { x: number; y: number },
): Placed | null {
  const at = (x: number, y: number) => ({ x: tile.read.x + x * scale.x, y: tile.read.y + y * scale.y });
  const low = at(finding.x1, finding.y1);
  const high = at(finding.x2, finding.y2);
  const centre = at(finding.cx, finding.cy);
  const located = { x1: low.x, y1: low.y, x2: high.x, y2: high.y, cx: centre.x, cy: centre.y };
  if (!ownedByTile(located, tile, region, Math.max(scale.x, scale.y))) return null;
  const vector: Record<string, number> = {};
  if (finding.polygon) {
    for (let i = 0; i < finding.polygon.length / 2; i++) {
      const p = at(finding.polygon[2 * i] ?? 0, finding.polygon[2 * i + 1] ?? 0);
      vector[`x${i + 1}`] = Math.round(p.x);
      vector[`y${i + 1}`] = Math.round(p.y);
    }
  } else {
    Object.assign(vector, {
      x1: Math.round(low.x),
      y1: Math.round(low.y),
      x2: Math.round(high.x),
      y2: Math.round(high.y),
    });
  }
  return { ...located, vector };
}
