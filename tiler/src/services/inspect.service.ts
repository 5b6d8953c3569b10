// Inspect: the server hands over a freshly uploaded file and learns whether it can be served, and how.
// The kind of file is told from its first bytes; only TIFFs and unknown files are shown to OpenSlide.
// Scanner formats are opened with OpenSlide and a small region is read (some files open but cannot be
// decoded); ordinary images are converted to a pyramidal TIFF first. Every refusal carries a reason,
// also when the file needs a system package (OpenSlide, ffmpeg) this machine lacks.
import { randomBytes } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { resolveInStorage } from '../access/storage-path.js';
import type { TileTokenPayload } from '../access/tile-token.js';
import { TilerError, fromSlideError } from '../errors/tiler-error.js';
import { existsSync } from 'node:fs';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { PACK_MAX_TILES } from '../deepzoom/native-layout.js';
import { convertToPyramid, framePath, tilePackPath } from '../sources/convert.js';
import { tileCount, writeTilePack } from '../tiles/pack-writer.js';
import { TILE_QUALITY } from './image.service.js';
import { extractFrames, formatFrameTime, isVideoFile, probeVideo, VideoError } from '../sources/video.js';
import { DicomError, readDicom, type DicomImage } from '../sources/dicom.js';
import { assemblePieces } from '../sources/raster.js';
import { fileKind, isScannerFile } from '../sources/file-kind.js';
import type { ImageSource } from '../sources/image-source.js';
import { openImageSource } from '../sources/open-image.js';
import { openslideAvailable } from '../sources/openslide.ffi.js';
import { detectVendor, openSlide } from '../sources/openslide.js';
import { SlideError } from '../sources/slide-error.js';
import { ffmpegAvailable } from '../sources/video.js';
import { describeSource, type ImageMetadata } from './metadata.js';
import { missingLibraryReason } from './system-libraries.js';

/** What inspect answers for a servable image. */
export interface InspectResult extends ImageMetadata {
  /** Whether the file was converted to a pyramid at the token's `out` path (serve that path then). */
  readonly converted: boolean;
  /** Frames (video frames, pages of a multi-page file), each a pyramid at framePath(out, n). */
  readonly frames: number;
  /** One line per frame for a frame slider: a video frame's time, a page's number. */
  readonly frameDescriptions: readonly string[];
}

/** Most frames taken from one file; longer videos are sampled evenly. */
export const MAX_FRAMES = 1000;

/** Inspects (and if needed converts) the file a token names. */
export async function inspectImage(
  payload: TileTokenPayload,
  storageRoot: string,
  maxPixels: number,
): Promise<InspectResult> {
  const path = resolveInStorage(storageRoot, payload.src);
  if (path === null) throw new TilerError('bad-request', 'the source path leaves the storage root');
  const info = await stat(path).catch(() => null);
  if (info === null) throw new TilerError('unprocessable', 'the file does not exist');
  if (!info.isFile()) throw new TilerError('unprocessable', 'the path is not a regular file');
  if (info.size === 0) throw new TilerError('unprocessable', 'the file is empty');

  const kind = await fileKind(path);
  // TIFF-based scanner formats and the rest go to OpenSlide; PNG, JPEG, GIF, WebP, DICOM and videos never do.
  if (kind === 'tiff' || kind === 'other') {
    if (openslideAvailable()) {
      if (detectVendor(path) !== null) {
        const metadata = await checkSlide(path, maxPixels);
        await packScannerSlide(path);
        return { ...metadata, converted: false, frames: 1, frameDescriptions: [] };
      }
    } else if (isScannerFile(path)) {
      throw new TilerError('unprocessable', missingLibraryReason('openslide'));
    }
  }
  if (payload.out === undefined) {
    throw new TilerError('bad-request', 'the file needs converting but the token names no output path');
  }
  const out = resolveInStorage(storageRoot, payload.out);
  if (out === null || out === path) throw new TilerError('bad-request', 'bad output path for the conversion');
  if (kind === 'dicom') return inspectDicom(path, info.size, out, maxPixels);
  if (isVideoFile(path)) {
    if (!(await ffmpegAvailable())) throw new TilerError('unprocessable', missingLibraryReason('ffmpeg'));
    return inspectVideo(path, out, maxPixels);
  }
  const result = await convertToPyramid(path, out, { maxPixels });
  if (result.status === 'unsupported' && kind === 'other' && !openslideAvailable()) {
    throw new TilerError('unprocessable', `${result.reason}; ${missingLibraryReason('openslide')}`);
  }
  if (result.status !== 'converted') throw new TilerError('unprocessable', result.reason);
  // Further pages of a multi-page file (TIFF stacks, animated GIF/WebP) become frames 2, 3, ...
  const pages = Math.min(result.source.pages, MAX_FRAMES);
  for (let page = 2; page <= pages; page++) {
    const converted = await convertToPyramid(path, framePath(out, page), { maxPixels, page: page - 1 });
    if (converted.status !== 'converted')
      throw new TilerError('unprocessable', `page ${page}: ${converted.reason}`);
  }
  return {
    ...(await checkSlide(out, maxPixels)),
    converted: true,
    frames: pages,
    frameDescriptions: pages > 1 ? Array.from({ length: pages }, (_, i) => `page ${i + 1}`) : [],
  };
}

// Opens the slide, applies the pixel limit and proves the pixels decode by reading two small regions
// (the middle of level 0 and the corner of the smallest level).
async function checkSlide(path: string, maxPixels: number): Promise<ImageMetadata> {
  let slide: ImageSource;
  try {
    slide = await openImageSource(path);
  } catch (err) {
    throw err instanceof SlideError ? fromSlideError(err) : err;
  }
  try {
    const meta = describeSource(slide);
    if (slide.levels.length === 0 || meta.width <= 0 || meta.height <= 0) {
      throw new TilerError('unprocessable', 'the image has no pixels');
    }
    if (meta.width * meta.height > maxPixels) {
      throw new TilerError(
        'unprocessable',
        `the image is ${meta.width}x${meta.height} (${meta.width * meta.height} pixels), over the limit of ${maxPixels}`,
      );
    }
    const last = slide.levels.length - 1;
    const smallest = slide.levels[last] ?? { width: 1, height: 1 };
    const side = 64;
    await slide.readRegion({
      x: Math.max(0, Math.floor(meta.width / 2) - side / 2),
      y: Math.max(0, Math.floor(meta.height / 2) - side / 2),
      level: 0,
      width: Math.min(side, meta.width),
      height: Math.min(side, meta.height),
    });
    await slide.readRegion({
      x: 0,
      y: 0,
      level: last,
      width: Math.min(side, smallest.width),
      height: Math.min(side, smallest.height),
    });
    return meta;
  } catch (err) {
    throw err instanceof SlideError ? fromSlideError(err) : err;
  } finally {
    await slide.close();
  }
}

/**
 * Scanner slides up to PACK_MAX_TILES tiles get a tile pack at ingest: every tile rendered once now, so
 * no viewer waits for decoding later. Larger slides render on demand (and then from the tile cache).
 */
async function packScannerSlide(path: string): Promise<void> {
  const pack = tilePackPath(path);
  if (existsSync(pack)) return;
  const slide = openSlide(path);
  try {
    const geometry = new DeepZoomGeometry(slide);
    if (tileCount(geometry) > PACK_MAX_TILES) return;
    await writeTilePack(slide, geometry, pack, TILE_QUALITY);
  } catch (err) {
    throw err instanceof SlideError ? fromSlideError(err) : err;
  } finally {
    await slide.close();
  }
}

export { PACK_MAX_TILES };

// DICOM: the frames are assembled into one flat image, which is converted like any ordinary image.
async function inspectDicom(
  path: string,
  size: number,
  out: string,
  maxPixels: number,
): Promise<InspectResult> {
  if (size > MAX_DICOM_BYTES) {
    throw new TilerError('unprocessable', `DICOM files over ${MAX_DICOM_BYTES} bytes are not supported yet`);
  }
  let image: DicomImage;
  try {
    image = readDicom(await readFile(path), maxPixels);
  } catch (err) {
    if (err instanceof DicomError) throw new TilerError('unprocessable', err.message);
    throw err;
  }
  const flat = `${out}.${randomBytes(6).toString('hex')}.dicom.tiff`;
  try {
    await assemblePieces(
      image.width,
      image.height,
      image.frames.map((f) => ({ ...f, ...(f.kind === 'raw' ? { rawChannels: image.channels } : {}) })),
      flat,
      maxPixels,
    ).catch((err: unknown) => {
      throw new TilerError(
        'unprocessable',
        `the DICOM frames cannot be decoded: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    const result = await convertToPyramid(flat, out, { maxPixels });
    if (result.status !== 'converted') throw new TilerError('unprocessable', result.reason);
  } finally {
    await rm(flat, { force: true });
  }
  const metadata = await checkSlide(out, maxPixels);
  return {
    ...metadata,
    vendor: 'dicom',
    mppX: image.mppX ?? metadata.mppX,
    mppY: image.mppY ?? metadata.mppY,
    converted: true,
    frames: 1,
    frameDescriptions: [],
  };
}

// Video: the frames are taken out with ffmpeg and each converted to a pyramid (frame 1 at `out`).
async function inspectVideo(path: string, out: string, maxPixels: number): Promise<InspectResult> {
  const scratch = `${out}.${randomBytes(6).toString('hex')}.frames`;
  try {
    const info = await probeVideo(path);
    if (info.width * info.height > maxPixels) {
      throw new TilerError(
        'unprocessable',
        `video frames of ${info.width}x${info.height} are over the pixel limit`,
      );
    }
    const { files, times } = await extractFrames(path, scratch, info, MAX_FRAMES);
    for (const [index, file] of files.entries()) {
      const converted = await convertToPyramid(file, framePath(out, index + 1), { maxPixels });
      if (converted.status !== 'converted') {
        throw new TilerError('unprocessable', `frame ${index + 1}: ${converted.reason}`);
      }
    }
    const metadata = await checkSlide(out, maxPixels);
    return {
      ...metadata,
      vendor: 'video',
      converted: true,
      frames: files.length,
      frameDescriptions: times.map(formatFrameTime),
    };
  } catch (err) {
    if (err instanceof VideoError) throw new TilerError('unprocessable', err.message);
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** DICOM files are read whole by the parser: a bound on memory until frames are streamed. */
const MAX_DICOM_BYTES = 1024 * 1024 * 1024;
