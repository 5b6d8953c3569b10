// The only module that imports sharp: scaling raw RGB and encoding/decoding tiles. Image sources hand
// over raw pixels; everything that touches libvips goes through here.
import { availableParallelism } from 'node:os';
import sharp, { type Sharp } from 'sharp';
import type { RgbImage } from './image-source.js';

// sharp picks a single libvips thread on this kind of machine; tiles are small, so use every core.
sharp.concurrency(availableParallelism());

/** Encoded images larger than this are refused when decoding (sharp's own default, made explicit). */
export const MAX_DECODE_PIXELS = 268_402_689;

/** JPEG settings for tiles; quality 75 is deepzoom_server's DEEPZOOM_TILE_QUALITY default. */
export interface JpegOptions {
  readonly quality?: number;
}

function fromRaw(image: RgbImage): Sharp {
  // Raw input is ours and already bounded in size; the limit only has to admit it.
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
    limitInputPixels: image.width * image.height,
  });
}

function scaled(image: RgbImage, width: number, height: number): Sharp {
  const pipeline = fromRaw(image);
  if (image.width === width && image.height === height) return pipeline;
  // 'fill' gives the exact DeepZoom size; Lanczos 3 matches openslide-python's PIL LANCZOS filter.
  return pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
}

/** Scales raw RGB to exactly width x height with a Lanczos 3 filter. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const { data, info } = await scaled(image, width, height).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** Scales raw RGB to width x height (Lanczos 3) and encodes it as baseline JPEG in one pipeline. */
export async function rgbToJpeg(
  image: RgbImage,
  width: number,
  height: number,
  options: JpegOptions = {},
): Promise<Buffer> {
  return scaled(image, width, height)
    .jpeg({ quality: options.quality ?? 75 })
    .toBuffer();
}

/** Decodes an encoded image (JPEG, PNG, TIFF...) to raw RGB, dropping any alpha channel. */
export async function decodeToRgb(encoded: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(encoded, { limitInputPixels: MAX_DECODE_PIXELS })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}
