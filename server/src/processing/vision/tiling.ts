import type { PixelRegion } from '../plugin-api.js';

/** A tile of a region: the core it owns and the larger window read around it (the overlap). */
export interface Tile {
  readonly core: PixelRegion;
  readonly read: PixelRegion;
}

/**
 * Cuts a region into cores of `size` x `sizeY` (level-0 pixels), each read with `overlap` more on
 * every side.
 */
export function tileGrid(region: PixelRegion, size: number, overlap: number, sizeY = size): Tile[] {
  const tiles: Tile[] = [];
  const right = region.x + region.width;
  const bottom = region.y + region.height;
  for (let y = region.y; y < bottom; y += sizeY) {
    for (let x = region.x; x < right; x += size) {
      const core = { x, y, width: Math.min(size, right - x), height: Math.min(sizeY, bottom - y) };
      const rx = Math.max(region.x, x - overlap);
      const ry = Math.max(region.y, y - overlap);
      const read = {
        x: rx,
        y: ry,
        width: Math.min(right, x + core.width + overlap) - rx,
        height: Math.min(bottom, y + core.height + overlap) - ry,
      };
      tiles.push({ core, read });
    }
  }
  return tiles;
}

/** A found object in level-0 pixels: its box and a point that decides which tile owns it. */
export interface Located {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly cx: number;
  readonly cy: number;
}

/**
 * Whether `tile` reports this object, so that an object seen by several overlapping tiles is
 * reported once: its centre lies in the tile's core, and it is not cut by the read window's edge
 * (unless that edge is the region's own). With an overlap wider than the largest object, the tile
 * owning an object's centre sees it whole. `slack` is a pixel's size at the read scale.
 */
export function ownedByTile(object: Located, tile: Tile, region: PixelRegion, slack: number): boolean {
  const { core, read } = tile;
  if (object.cx < core.x || object.cx >= core.x + core.width) return false;
  if (object.cy < core.y || object.cy >= core.y + core.height) return false;
  const cutLeft = read.x > region.x && object.x1 <= read.x + slack;
  const cutTop = read.y > region.y && object.y1 <= read.y + slack;
  const cutRight = read.x + read.width < region.x + region.width && object.x2 >= read.x + read.width - slack;
  const cutBottom =
    read.y + read.height < region.y + region.height && object.y2 >= read.y + read.height - slack;
  return !(cutLeft || cutTop || cutRight || cutBottom);
}
