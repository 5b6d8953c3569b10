// Ordinary images (PNG, JPEG, WebP, TIFF, GIF) become a pyramidal tiled TIFF once, at upload, so they are
// served through the same OpenSlide path as scanner slides ('generic-tiff'); cutting tiles from a flat
// image on every request is far too slow. BMP is not offered: sharp's prebuilt libvips has no BMP loader
// (it would need ImageMagick), and SVG is refused on purpose (it can reference other files).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { framePath, tilePackPath } from '../access/layout.js';
import { Limiter } from './limiter.js';
import { probeImageFile, writeDeepZoomPack, writePyramidalTiff, type ImageFileInfo } from './raster.js';

/** sharp formats accepted for conversion. */
export const CONVERTIBLE_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);

/** Conversions running at once in this process: each holds large decode buffers and uses every core. */
export const MAX_CONCURRENT_CONVERSIONS = 2;
const conversions = new Limiter(MAX_CONCURRENT_CONVERSIONS);

/** Above this many pixels the pyramid is written as BigTIFF (classic TIFF stops at 4 GiB). */
export const BIGTIFF_PIXELS = 200_000_000;

/** The outcome of a conversion; failures carry a reason fit to show the uploader. */
export type ConvertResult =
  | { readonly status: 'converted'; readonly source: ImageFileInfo }
  | { readonly status: 'unsupported' | 'too-large' | 'failed'; readonly reason: string };

/** Settings for convertToPyramid. */
export interface ConvertOptions {
  /** Largest accepted image, width x height (the decompression-bomb guard). */
  readonly maxPixels: number;
  /** The page of a multi-page file to convert (0-based; default the first). */
  readonly page?: number;
}

/** Converts the first page of `input` to a pyramidal TIFF at `output` (written to a temp name, then renamed). */
export async function convertToPyramid(
  input: string,
  output: string,
  options: ConvertOptions,
): Promise<ConvertResult> {
  const source = await probeImageFile(input);
  if (source === null) {
    return { status: 'unsupported', reason: 'not an image format OpenSlide or the converter can read' };
  }
  if (!CONVERTIBLE_FORMATS.has(source.format)) {
    return { status: 'unsupported', reason: `image format '${source.format}' is not accepted` };
  }
  const pixels = source.width * source.height;
  if (pixels > options.maxPixels) {
    return {
      status: 'too-large',
      reason: `image is ${source.width}x${source.height} (${pixels} pixels), over the limit of ${options.maxPixels}`,
    };
  }
  const temp = `${output}.${randomBytes(6).toString('hex')}.tmp.tiff`;
  try {
    await mkdir(dirname(output), { recursive: true });
    await conversions.run(() =>
      writePyramidalTiff(input, temp, {
        maxPixels: options.maxPixels,
        bigtiff: pixels > BIGTIFF_PIXELS,
        page: options.page ?? 0,
      }),
    );
    // The tile pack goes in before the pyramid appears, so a source opened from `output` finds it.
    const packTemp = `${output}.${randomBytes(6).toString('hex')}.tmp.zip`;
    try {
      await conversions.run(() =>
        writeDeepZoomPack(input, packTemp, { maxPixels: options.maxPixels, page: options.page ?? 0 }),
      );
      await rename(packTemp, tilePackPath(output));
    } finally {
      await rm(packTemp, { force: true });
    }
    await rename(temp, output);
    return { status: 'converted', source };
  } catch (err) {
    await rm(temp, { force: true });
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { status: 'failed', reason: `the image could not be converted: ${message ?? 'unknown error'}` };
  }
}

export { framePath, tilePackPath };
