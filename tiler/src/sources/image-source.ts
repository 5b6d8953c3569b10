// What the tile renderer needs from any pixel source (OpenSlide today, pyramidal TIFF and DICOM later).

/** One level of a source's own pyramid; level 0 is full resolution. */
export interface SourceLevel {
  readonly width: number;
  readonly height: number;
  /** Level-0 pixels per pixel of this level (may be fractional, e.g. 4.0161). */
  readonly downsample: number;
}

/** A rectangle to read: location in level-0 pixels, size in pixels of `level`. */
export interface RegionRequest {
  readonly x: number;
  readonly y: number;
  readonly level: number;
  readonly width: number;
  readonly height: number;
}

/** Raw 8-bit RGB pixels, row-major, no padding: `data.length === width * height * 3`. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

/** A named extra image stored beside the pyramid (label, macro, thumbnail). */
export interface AssociatedImageInfo {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

/** A readable multi-resolution image. Regions come back opaque RGB, alpha already composited away. */
export interface ImageSource {
  /** Format name as OpenSlide spells it ('aperio', 'hamamatsu', 'generic-tiff', ...). */
  readonly vendor: string;
  readonly levels: readonly SourceLevel[];
  /** Key/value metadata (OpenSlide property names, e.g. 'openslide.mpp-x'). */
  readonly properties: ReadonlyMap<string, string>;
  readonly associatedImages: readonly AssociatedImageInfo[];
  /** Reads a region; areas outside the image come back as background. */
  readRegion(request: RegionRequest): Promise<RgbImage>;
  /** Reads one associated image by name. */
  readAssociatedImage(name: string): Promise<RgbImage>;
  /** Releases the source once reads in flight have finished. */
  close(): Promise<void>;
}
