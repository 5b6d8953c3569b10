import { AppError } from '../errors/app-error.js';
import type { TilerClient } from '../ingest/tiler.client.js';
import type { PixelRegion, RgbPixels } from './plugin-api.js';

/** The tiler's largest region side (tiler/src/services/image.service.ts MAX_REGION_SIZE). */
const CHUNK = 2048;
/** The most pixels one read may answer: a plugin reads a whole slide tile by tile, not at once. */
const MAX_PIXELS = 64 * 1024 * 1024;

interface Level {
  readonly width: number;
  readonly height: number;
  readonly downsample: number;
}

/** One image's pixels as the tiler serves them: the source, its levels and a token to read them. */
export interface PixelSource {
  readonly imageId: number;
  readonly src: string;
  readonly levels: readonly Level[];
}

/** Checks a region a plugin asks for: whole, positive level-0 pixels and a downsample of at least 1. */
export function checkRegion(region: PixelRegion, downsample: number): void {
  const whole = [region.x, region.y, region.width, region.height].every(Number.isSafeInteger);
  if (!whole || region.width < 1 || region.height < 1)
    throw AppError.badRequest('A region is whole level-0 pixels with a positive width and height.');
  if (!Number.isFinite(downsample) || downsample < 1)
    throw AppError.badRequest('downsample must be at least 1.');
  if (Math.ceil(region.width / downsample) * Math.ceil(region.height / downsample) > MAX_PIXELS)
    throw AppError.badRequest(`A read answers at most ${MAX_PIXELS} pixels: read in tiles, or downsample.`);
}

/**
 * Reads a level-0 region scaled down by `downsample`: from the pyramid level closest above that
 * resolution, in chunks the tiler serves as raw RGB, then box-averaged to the requested size.
 */
export async function readPixels(
  tiler: TilerClient,
  source: PixelSource,
  region: PixelRegion,
  downsample = 1,
): Promise<RgbPixels> {
  checkRegion(region, downsample);
  const levels = source.levels.length > 0 ? source.levels : [{ width: 0, height: 0, downsample: 1 }];
  // Levels go from full resolution down; the last one at least as fine as asked is read.
  let index = 0;
  levels.forEach((level, i) => {
    if (level.downsample <= downsample * (1 + 1e-9)) index = i;
  });
  const level = levels[index] ?? { downsample: 1 };
  const lw = Math.max(1, Math.ceil(region.width / level.downsample));
  const lh = Math.max(1, Math.ceil(region.height / level.downsample));
  const atLevel = Buffer.alloc(lw * lh * 3);
  const token = tiler.token({ img: source.imageId, src: source.src, scope: ['tiles'] });
  for (let cy = 0; cy < lh; cy += CHUNK) {
    for (let cx = 0; cx < lw; cx += CHUNK) {
      const w = Math.min(CHUNK, lw - cx);
      const h = Math.min(CHUNK, lh - cy);
      const x = Math.round(region.x + cx * level.downsample);
      const y = Math.round(region.y + cy * level.downsample);
      const answer = await tiler.tile(
        token,
        `region.rgb?x=${x}&y=${y}&level=${index}&width=${w}&height=${h}`,
        '',
      );
      if (answer.status !== 200 || answer.body.length !== w * h * 3)
        throw new Error(`the tiler answered ${answer.status} for a region of image ${source.imageId}`);
      for (let row = 0; row < h; row++) {
        answer.body.copy(atLevel, ((cy + row) * lw + cx) * 3, row * w * 3, (row + 1) * w * 3);
      }
    }
  }
  const width = Math.max(1, Math.ceil(region.width / downsample));
  const height = Math.max(1, Math.ceil(region.height / downsample));
  if (width === lw && height === lh) return { data: new Uint8Array(atLevel), width, height, channels: 3 };
  return { data: boxScale(atLevel, lw, lh, width, height), width, height, channels: 3 };
}

/** Scales RGB pixels down by averaging the source pixels each target pixel covers. */
function boxScale(src: Buffer, sw: number, sh: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const fx = sw / width;
  const fy = sh / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.min(sh, Math.floor((y + 1) * fy)));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.min(sw, Math.floor((x + 1) * fx)));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const at = (yy * sw + xx) * 3;
          r += src[at] ?? 0;
          g += src[at + 1] ?? 0;
          b += src[at + 2] ?? 0;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return out;
}
