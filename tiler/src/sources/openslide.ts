// Scanner formats through OpenSlide 3.4.1. OpenSlide is thread-safe, so region reads run concurrently on
// koffi's worker threads; but once it reports an error the handle is dead for good, so the first error
// is kept and every later call fails with it (the owner closes and reopens).
import { Limiter } from './limiter.js';
import { decodeStringList, openslideC, type OpenSlideHandle } from './openslide.ffi.js';
import { parseBackground, premultipliedArgbToRgb, type Rgb } from './pixels.js';
import { SlideError } from './slide-error.js';
import type {
  AssociatedImageInfo,
  ImageSource,
  RegionRequest,
  RgbImage,
  SourceLevel,
} from './image-source.js';

/** Largest region one read may ask for (4 bytes a pixel while decoding): 64 Mpx = 256 MiB. */
export const MAX_REGION_PIXELS = 64 * 1024 * 1024;

/** Reads running at once in this process, over all slides; koffi refuses more than 256 queued calls. */
export const MAX_CONCURRENT_READS = 64;
const reads = new Limiter(MAX_CONCURRENT_READS);

/** The OpenSlide library version string, e.g. '3.4.1'. */
export function openslideVersion(): string {
  return openslideC().getVersion();
}

/** The vendor OpenSlide would use for `path`, or null when it recognises none. */
export function detectVendor(path: string): string | null {
  return openslideC().detectVendor(path);
}

/** Opens a slide (blocking, metadata only); throws SlideError 'unsupported' or 'open-failed'. */
export function openSlide(path: string): OpenSlideSource {
  const vendor = openslideC().detectVendor(path);
  const handle = openslideC().open(path);
  if (handle === null) {
    throw new SlideError('unsupported', 'Unsupported or missing image file', path);
  }
  const error = openslideC().getError(handle);
  if (error !== null || vendor === null) {
    openslideC().close(handle);
    throw new SlideError('open-failed', error ?? 'OpenSlide opened the file but detected no vendor', path);
  }
  const source = new OpenSlideSource(path, handle, vendor);
  const metadataError = openslideC().getError(handle);
  if (metadataError !== null) {
    openslideC().close(handle);
    throw new SlideError('open-failed', metadataError, path);
  }
  return source;
}

/** An open OpenSlide slide; create with openSlide(). */
export class OpenSlideSource implements ImageSource {
  readonly levels: readonly SourceLevel[];
  readonly properties: ReadonlyMap<string, string>;
  readonly associatedImages: readonly AssociatedImageInfo[];
  readonly background: Rgb;
  private failure: SlideError | undefined;
  private closed = false;
  private pending = 0;
  private drained: (() => void) | undefined;

  constructor(
    readonly path: string,
    private readonly handle: OpenSlideHandle,
    readonly vendor: string,
  ) {
    this.properties = readProperties(handle);
    this.levels = readLevels(handle);
    this.associatedImages = decodeStringList(openslideC().getAssociatedImageNames(handle)).map((name) => ({
      name,
      ...dimensions((w, h) => {
        openslideC().getAssociatedImageDimensions(handle, name, w, h);
      }),
    }));
    this.background = parseBackground(this.properties.get('openslide.background-color'));
  }

  /** The error that killed this handle, if any. */
  get error(): SlideError | undefined {
    return this.failure;
  }

  /** Reads a region as RGB composited onto the slide's background colour. */
  async readRegion({ x, y, level, width, height }: RegionRequest): Promise<RgbImage> {
    this.usable();
    if (![x, y, width, height, level].every(Number.isSafeInteger)) {
      throw new SlideError(
        'bad-request',
        `region must be integers, got ${[x, y, level, width, height].join(',')}`,
      );
    }
    if (level < 0 || level >= this.levels.length) {
      throw new SlideError('bad-request', `level ${level} out of range 0..${this.levels.length - 1}`);
    }
    if (width <= 0 || height <= 0 || width * height > MAX_REGION_PIXELS) {
      throw new SlideError(
        'bad-request',
        `region size ${width}x${height} outside 1..${MAX_REGION_PIXELS} pixels`,
      );
    }
    const argb = Buffer.allocUnsafe(width * height * 4);
    await this.native((done) => {
      openslideC().readRegion.async(this.handle, argb, x, y, level, width, height, done);
    });
    return { width, height, data: premultipliedArgbToRgb(argb, this.background) };
  }

  /** Reads one associated image (label, macro, thumbnail) as RGB on the slide's background. */
  async readAssociatedImage(name: string): Promise<RgbImage> {
    this.usable();
    const info = this.associatedImages.find((image) => image.name === name);
    if (info === undefined)
      throw new SlideError('bad-request', `no associated image named '${name}'`, this.path);
    const argb = Buffer.allocUnsafe(info.width * info.height * 4);
    await this.native((done) => {
      openslideC().readAssociatedImage.async(this.handle, name, argb, done);
    });
    return { width: info.width, height: info.height, data: premultipliedArgbToRgb(argb, this.background) };
  }

  /** Closes the handle after reads in flight finish; later calls fail with 'closed'. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pending > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    openslideC().close(this.handle);
  }

  // Runs one asynchronous OpenSlide call on koffi's worker threads within the process-wide limit, then
  // checks the handle's error state. Counted until both are done, so close() cannot free the handle
  // under a worker thread or before the error check.
  private async native(start: (done: (err: unknown) => void) => void): Promise<void> {
    this.pending++;
    try {
      await reads.run(
        () =>
          new Promise<void>((resolve, reject) => {
            start((err) => {
              if (err === null || err === undefined) resolve();
              else reject(asError(err));
            });
          }),
      );
      this.check();
    } finally {
      this.pending--;
      if (this.pending === 0) this.drained?.();
    }
  }

  private usable(): void {
    if (this.closed) throw new SlideError('closed', 'slide is closed', this.path);
    if (this.failure !== undefined) throw this.failure;
  }

  private check(): void {
    const message = openslideC().getError(this.handle);
    if (message === null) return;
    this.failure ??= new SlideError('read-failed', message, this.path);
    throw this.failure;
  }
}

function readProperties(handle: OpenSlideHandle): Map<string, string> {
  const properties = new Map<string, string>();
  for (const name of decodeStringList(openslideC().getPropertyNames(handle))) {
    const value = openslideC().getPropertyValue(handle, name);
    if (value !== null) properties.set(name, value);
  }
  return properties;
}

function readLevels(handle: OpenSlideHandle): SourceLevel[] {
  const count = openslideC().getLevelCount(handle);
  return Array.from({ length: Math.max(0, count) }, (_, level) => ({
    ...dimensions((w, h) => {
      openslideC().getLevelDimensions(handle, level, w, h);
    }),
    downsample: openslideC().getLevelDownsample(handle, level),
  }));
}

// OpenSlide reports sizes through two int64 out-parameters; koffi fills one-element arrays.
function dimensions(fill: (w: [number], h: [number]) => void): { width: number; height: number } {
  const w: [number] = [-1];
  const h: [number] = [-1];
  fill(w, h);
  return { width: w[0], height: h[0] };
}

// koffi reports failures of the call machinery itself (not OpenSlide errors) through the callback.
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error('OpenSlide call failed in koffi', { cause: err });
}
