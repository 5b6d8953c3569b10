// The pyramidal TIFFs this tiler writes for ordinary images, read with sharp instead of OpenSlide: where
// libopenslide is not installed, converted images (PNG, JPEG, WebP, TIFF, GIF, DICOM, video frames) are
// still served. Each TIFF page is one level (writePyramidalTiff halves the size page by page).
import type { ImageSource, RegionRequest, RgbImage } from './image-source.js';
import { pyramidPageSizes, readTiffRect } from './raster.js';
import { SlideError } from './slide-error.js';

const WHITE = 255;

/** Opens a pyramid written by writePyramidalTiff; throws SlideError 'open-failed' if sharp cannot read it. */
export async function openPyramidTiff(path: string): Promise<PyramidTiffSource> {
  let sizes: { width: number; height: number }[];
  try {
    sizes = await pyramidPageSizes(path);
  } catch (err) {
    throw new SlideError('open-failed', err instanceof Error ? err.message : String(err), path);
  }
  const base = sizes[0];
  if (base === undefined) throw new SlideError('open-failed', 'the file has no pages', path);
  // OpenSlide's downsample for a level: the mean of the width and height ratios.
  const levels = sizes.map(({ width, height }) => ({
    width,
    height,
    downsample: (base.width / width + base.height / height) / 2,
  }));
  return new PyramidTiffSource(path, levels);
}

/** A converted pyramid read with sharp; no properties or associated images (conversion writes none). */
export class PyramidTiffSource implements ImageSource {
  readonly vendor = 'generic-tiff';
  readonly properties: ReadonlyMap<string, string> = new Map();
  readonly associatedImages: ImageSource['associatedImages'] = [];

  constructor(
    readonly path: string,
    readonly levels: ImageSource['levels'],
  ) {}

  async readRegion(request: RegionRequest): Promise<RgbImage> {
    const level = this.levels[request.level];
    if (level === undefined) {
      throw new SlideError('bad-request', `level ${request.level} does not exist`, this.path);
    }
    // Level pixels of the request's corner; the part inside the level is read, the rest stays white.
    const x = Math.floor(request.x / level.downsample);
    const y = Math.floor(request.y / level.downsample);
    const left = Math.max(0, x);
    const top = Math.max(0, y);
    const right = Math.min(level.width, x + request.width);
    const bottom = Math.min(level.height, y + request.height);
    const out = Buffer.alloc(request.width * request.height * 3, WHITE);
    if (right <= left || bottom <= top) return { width: request.width, height: request.height, data: out };
    const inside = await readTiffRect(this.path, request.level, {
      left,
      top,
      width: right - left,
      height: bottom - top,
    }).catch((err: unknown) => {
      throw new SlideError('read-failed', err instanceof Error ? err.message : String(err), this.path);
    });
    if (inside.width === request.width && inside.height === request.height) return inside;
    const rowBytes = inside.width * 3;
    for (let row = 0; row < inside.height; row++) {
      const target = ((top - y + row) * request.width + (left - x)) * 3;
      inside.data.copy(out, target, row * rowBytes, (row + 1) * rowBytes);
    }
    return { width: request.width, height: request.height, data: out };
  }

  readAssociatedImage(name: string): Promise<RgbImage> {
    return Promise.reject(new SlideError('bad-request', `no associated image named '${name}'`, this.path));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
