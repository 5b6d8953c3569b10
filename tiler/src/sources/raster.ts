// The only module that imports sharp: scaling raw RGB, encoding/decoding tiles, and writing pyramids for
// ordinary images. Image sources hand over raw pixels; everything that touches libvips goes through here.
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
  // No Huffman optimisation, like PIL's default: it halves the encode cost of a tile (measured 3.9 -> 1.9 ms
  // for a 256-px tile) for about 6 % more bytes, and tiles are CPU-bound, not bandwidth-bound.
  return scaled(image, width, height)
    .jpeg({ quality: options.quality ?? 75, optimiseCoding: false })
    .toBuffer();
}

/** Keeps the top-left width x height of a JPEG (an edge tile stored full-size) and re-encodes it. */
export async function cropJpeg(
  jpeg: Buffer,
  width: number,
  height: number,
  options: JpegOptions = {},
): Promise<Buffer> {
  return sharp(jpeg, { limitInputPixels: MAX_DECODE_PIXELS })
    .extract({ left: 0, top: 0, width, height })
    .jpeg({ quality: options.quality ?? 75, optimiseCoding: false })
    .toBuffer();
}

/**
 * Joins equally sized JPEG tiles into a grid (`across` per row, row by row), keeps the grid's top-left
 * `region`, scales that to width x height (Lanczos 3) and encodes it, in one libvips pipeline: a
 * DeepZoom tile made from stored tiles.
 */
export async function joinedToJpeg(
  tiles: readonly Buffer[],
  across: number,
  region: { readonly width: number; readonly height: number },
  target: { readonly width: number; readonly height: number },
  options: JpegOptions = {},
): Promise<Buffer> {
  const input = tiles.length === 1 ? tiles[0] : tiles;
  return sharp(input as Buffer | Buffer[], {
    limitInputPixels: MAX_DECODE_PIXELS,
    ...(tiles.length === 1 ? {} : { join: { across } }),
  })
    .extract({ left: 0, top: 0, ...region })
    .resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' })
    .jpeg({ quality: options.quality ?? 75, optimiseCoding: false })
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

/** Encodes raw RGB as PNG (lossless; for regions handed to analysis code). */
export async function rgbToPng(image: RgbImage): Promise<Buffer> {
  return fromRaw(image).png().toBuffer();
}

/** What sharp sees in an encoded image file, read from its header only. */
export interface ImageFileInfo {
  /** sharp's format name: 'jpeg', 'png', 'webp', 'tiff', 'gif', 'svg', ... */
  readonly format: string;
  readonly width: number;
  readonly height: number;
  /** Pages (multi-page TIFF) or frames (animated GIF/WebP); 1 for a still image. */
  readonly pages: number;
}

/** Reads an image file's header; null when sharp (libvips) cannot decode the file at all. */
export async function probeImageFile(path: string): Promise<ImageFileInfo | null> {
  try {
    // Header only: no pixel limit applies yet, the caller decides on the dimensions.
    const meta = await sharp(path, { limitInputPixels: false }).metadata();
    if (meta.width <= 0 || meta.height <= 0) return null;
    return { format: meta.format, width: meta.width, height: meta.height, pages: meta.pages ?? 1 };
  } catch {
    return null;
  }
}

/** The size of every page of a pyramidal TIFF written by writePyramidalTiff (page 0 is full size). */
export async function pyramidPageSizes(path: string): Promise<{ width: number; height: number }[]> {
  const pages = (await sharp(path, { limitInputPixels: false }).metadata()).pages ?? 1;
  const sizes: { width: number; height: number }[] = [];
  for (let page = 0; page < pages; page++) {
    const meta = await sharp(path, { limitInputPixels: false, page }).metadata();
    sizes.push({ width: meta.width, height: meta.height });
  }
  return sizes;
}

/** Reads a rectangle (inside the page) of one page of a tiled TIFF as raw RGB; libvips reads only its tiles. */
export async function readTiffRect(
  path: string,
  page: number,
  rect: { left: number; top: number; width: number; height: number },
): Promise<RgbImage> {
  const { data, info } = await sharp(path, { limitInputPixels: false, page })
    .extract(rect)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** Settings for writing a pyramidal TIFF. */
export interface PyramidOptions {
  /** Refuse inputs with more pixels than this (libvips checks the header before decoding). */
  readonly maxPixels: number;
  /** Write BigTIFF (needed once the file may pass 4 GiB). */
  readonly bigtiff: boolean;
  /** The page of a multi-page file to write (0-based; default the first). */
  readonly page?: number;
}

// One page of an upload, upright, alpha flattened onto white and 8-bit sRGB: what every conversion reads.
function conversionInput(input: string, options: { maxPixels: number; page?: number }): Sharp {
  return sharp(input, {
    limitInputPixels: options.maxPixels,
    autoOrient: true,
    page: options.page ?? 0,
    pages: 1,
  })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb');
}

/**
 * Writes the first page of an image file as a tiled pyramidal TIFF (256-px JPEG tiles, quality 90) that
 * OpenSlide opens as 'generic-tiff'. Alpha is flattened onto white and colour converted to 8-bit sRGB,
 * because JPEG-in-TIFF holds neither alpha nor 16-bit samples.
 */
export async function writePyramidalTiff(
  input: string,
  output: string,
  options: PyramidOptions,
): Promise<void> {
  await conversionInput(input, options)
    .tiff({
      tile: true,
      pyramid: true,
      tileWidth: 256,
      tileHeight: 256,
      compression: 'jpeg',
      quality: 90,
      bigtiff: options.bigtiff,
    })
    .toFile(output);
}

/**
 * Writes every DeepZoom tile of `input` (254-px, 1-px overlap, JPEG quality 90) into one uncompressed
 * zip, so serving a tile later is a file read with no decoding at all.
 */
export async function writeDeepZoomPack(
  input: string,
  output: string,
  options: { maxPixels: number; page?: number },
): Promise<void> {
  await conversionInput(input, options)
    .jpeg({ quality: 90 })
    .tile({ size: 254, overlap: 1, layout: 'dz', container: 'zip' })
    .toFile(output);
}

/** One piece of an image to assemble: encoded (JPEG/PNG) or raw 8-bit samples, placed at left/top. */
export interface ImagePiece {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
  /** Set for raw samples; absent for encoded bytes the decoder reads itself. */
  readonly rawChannels?: 1 | 3;
}

/**
 * Assembles pieces (DICOM frames) on a white canvas into one flat TIFF, cropping pieces that run over the
 * right or bottom edge (the last tiles of a tiled image are full-size), for the converter to read.
 */
export async function assemblePieces(
  width: number,
  height: number,
  pieces: readonly ImagePiece[],
  output: string,
  maxPixels: number,
): Promise<void> {
  const overlays = await Promise.all(
    pieces.map(async (piece) => {
      const options = piece.rawChannels
        ? { raw: { width: piece.width, height: piece.height, channels: piece.rawChannels } }
        : { limitInputPixels: maxPixels };
      let input = sharp(piece.data, options).toColourspace('srgb');
      const visibleWidth = Math.min(piece.width, width - piece.left);
      const visibleHeight = Math.min(piece.height, height - piece.top);
      if (visibleWidth < piece.width || visibleHeight < piece.height) {
        input = input.extract({ left: 0, top: 0, width: visibleWidth, height: visibleHeight });
      }
      return { input: await input.png().toBuffer(), left: piece.left, top: piece.top };
    }),
  );
  await sharp({
    create: { width, height, channels: 3, background: '#ffffff' },
    limitInputPixels: maxPixels,
  })
    .composite(overlays)
    .tiff({ compression: 'lzw' })
    .toFile(output);
}
