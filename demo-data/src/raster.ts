// The server's only user of sharp: it paints generated data sets (a stained background plus cell
// sprites) and writes them as files that then enter the normal upload pipeline like any user's file.
import os from 'node:os';
import type SharpModule from 'sharp';
import type { Sharp } from 'sharp';
import type { Rgb, Sprite } from './cells.js';
import type { Random } from './prng.js';

// Loaded on first use: most server starts never generate a data set, and libvips' thread pool is
// then neither started nor torn down with the process.
let loaded: Promise<{ default: typeof SharpModule }> | undefined;
async function sharpModule(): Promise<{ default: typeof SharpModule }> {
  loaded ??= import('sharp').then((module) => {
    module.default.concurrency(os.availableParallelism());
    return module;
  });
  return loaded;
}

/** A picture to paint: a mottled background of one stain colour and cells on top. */
export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly background: Rgb;
  /** Draws the background's mottling (a coarse grid of brightness changes, smoothly enlarged). */
  readonly random: Random;
  readonly sprites: readonly Sprite[];
}

// One mottling sample every this many pixels; enlarged with bilinear interpolation, which libvips
// does on the fly (a bicubic enlargement of a 16k slide costs seconds more).
const MOTTLE_STEP = 384;

async function painted(scene: Scene): Promise<Sharp> {
  const { default: sharp } = await sharpModule();
  const columns = Math.max(2, Math.ceil(scene.width / MOTTLE_STEP) + 1);
  const rows = Math.max(2, Math.ceil(scene.height / MOTTLE_STEP) + 1);
  const grid = Buffer.alloc(columns * rows * 3);
  for (let i = 0; i < columns * rows; i++) {
    const shift = scene.random.between(-9, 9);
    for (let k = 0; k < 3; k++) {
      grid[i * 3 + k] = Math.round(Math.max(0, Math.min(255, (scene.background[k] ?? 0) + shift)));
    }
  }
  return sharp(grid, { raw: { width: columns, height: rows, channels: 3 } })
    .resize(scene.width, scene.height, { kernel: 'linear', fit: 'fill' })
    .composite(
      scene.sprites.map((s) => ({
        input: s.data,
        raw: { width: s.width, height: s.height, channels: 4 as const },
        left: s.left,
        top: s.top,
      })),
    );
}

/**
 * Writes a whole-slide-like pyramidal TIFF (JPEG tiles of 256 px, every level down to one tile), the
 * layout OpenSlide opens directly as a generic tiled TIFF.
 */
export async function writePyramidTiff(scene: Scene, file: string): Promise<void> {
  await (
    await painted(scene)
  )
    .tiff({ tile: true, pyramid: true, compression: 'jpeg', quality: 85, tileWidth: 256, tileHeight: 256 })
    .toFile(file);
}

/** Writes a PNG (lossless, for small fields of view). */
export async function writePng(scene: Scene, file: string): Promise<void> {
  await (await painted(scene)).png({ compressionLevel: 6 }).toFile(file);
}

/** The scene as packed RGB bytes (frames for a video encoder). */
export async function renderRgb(scene: Scene): Promise<Buffer> {
  return (await painted(scene)).removeAlpha().raw().toBuffer();
}

/** Writes equally sized RGB frames as one multi-page TIFF (deflate): an image series of frames. */
export async function writeMultiPageTiff(
  frames: readonly Buffer[],
  width: number,
  height: number,
  file: string,
): Promise<void> {
  const { default: sharp } = await sharpModule();
  await sharp(Buffer.concat(frames), {
    raw: { width, height: height * frames.length, channels: 3, pageHeight: height },
  })
    .tiff({ compression: 'deflate' })
    .toFile(file);
}
