// Rendered tiles against openslide-python's DeepZoomGenerator.get_tile on the real slides.
import { describe, expect, it } from 'vitest';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { openSlide } from '../sources/openslide.js';
import { decodeToRgb } from '../sources/raster.js';
import { meanAbsoluteDifference, reference, slidePath } from '../testing/reference.js';
import { renderTileJpeg, renderTilePixels, type TileAddress } from './render.js';
import { lacking } from '../../../test/support/prerequisites.js';

interface TileReference extends TileAddress {
  width: number;
  height: number;
  rgb: string;
  /** The tile after deepzoom_server's quality-75 JPEG round trip through PIL. */
  jpeg_rgb: string;
}

// Per slide: tiles copied 1:1 (top level, interior and edges), tiles scaled down from a source level,
// and tiles scaled from far below the deepest source level.
const CASES: Record<string, [number, number, number][]> = {
  'CMU-1-Small-Region.svs': [
    [12, 0, 0],
    [12, 4, 5],
    [12, 8, 11],
    [11, 2, 3],
    [10, 2, 2],
    [8, 0, 0],
  ],
  'synthetic-aperio-3000x2000.svs': [
    [12, 5, 3],
    [12, 11, 7],
    [11, 3, 2],
    [10, 1, 1],
    [9, 0, 0],
    [7, 0, 0],
  ],
  'test3-DAPI-2-387.ndpi': [
    [13, 7, 9],
    [13, 15, 19],
    [12, 3, 4],
    [10, 0, 0],
    [8, 0, 0],
  ],
  'openslide-python-boxes.tiff': [
    [9, 0, 0],
    [9, 1, 0],
    [8, 0, 0],
    [7, 0, 0],
  ],
  'openslide-python-small.svs': [
    [4, 0, 0],
    [3, 0, 0],
  ],
};

// Mean absolute difference per channel value (0-255) allowed where a tile is scaled: libvips' Lanczos 3
// against PIL's (measured up to 0.30). Unscaled tiles must match exactly.
const MAX_MEAN_DIFFERENCE_RAW = 1;
// Decoded JPEGs against deepzoom_server's decoded JPEGs: identical when unscaled (same quantisation
// tables at quality 75), up to 2.84 measured on a scaled 8x8 tile where chroma blocks dominate.
const MAX_MEAN_DIFFERENCE_JPEG = 3.5;

describe.skipIf(lacking('openslide')).each(Object.entries(CASES))(
  '%s tiles match openslide-python get_tile',
  (file, addresses) => {
    it('as raw pixels and as decoded JPEG of the DeepZoom tile size', async () => {
      const expected = reference([
        'tiles',
        slidePath(file),
        ...addresses.map((a) => a.join(',')),
      ]) as TileReference[];
      const slide = openSlide(slidePath(file));
      try {
        const geometry = new DeepZoomGeometry(slide);
        for (const ref of expected) {
          const label = `${file} ${ref.level}/${ref.col}_${ref.row}`;
          const spec = geometry.tile(ref.level, ref.col, ref.row);
          // openslide-python 1.2 returns exactly the DeepZoom size for the tiles chosen here.
          expect([ref.width, ref.height], label).toEqual([spec.width, spec.height]);
          const scaled = spec.region.width !== spec.width || spec.region.height !== spec.height;

          const pixels = await renderTilePixels(slide, geometry, ref);
          expect([pixels.width, pixels.height], label).toEqual([spec.width, spec.height]);
          const raw = meanAbsoluteDifference(pixels.data, Buffer.from(ref.rgb, 'base64'));
          expect(raw, label).toBeLessThan(scaled ? MAX_MEAN_DIFFERENCE_RAW : Number.EPSILON);

          const jpeg = await renderTileJpeg(slide, geometry, ref);
          expect([...jpeg.subarray(0, 3)], label).toEqual([0xff, 0xd8, 0xff]);
          const decoded = await decodeToRgb(jpeg);
          expect([decoded.width, decoded.height], label).toEqual([spec.width, spec.height]);
          const served = meanAbsoluteDifference(decoded.data, Buffer.from(ref.jpeg_rgb, 'base64'));
          expect(served, label).toBeLessThan(scaled ? MAX_MEAN_DIFFERENCE_JPEG : Number.EPSILON);
        }
      } finally {
        await slide.close();
      }
    });
  },
);

describe.skipIf(lacking('openslide'))('tile sizes', () => {
  it('are always the DeepZoom size, even where openslide-python 1.2 shrinks a tile by a pixel', async () => {
    // get_tile() uses PIL thumbnail(), which keeps the region's aspect ratio: here it returns 187x125
    // for a tile the DZI promises as 188x125. Viewers place tiles by the DZI, so we keep its size.
    const [ref] = reference([
      'tiles',
      slidePath('synthetic-aperio-3000x2000.svs'),
      '8,0,0',
    ]) as TileReference[];
    expect([ref?.width, ref?.height]).toEqual([187, 125]);
    const slide = openSlide(slidePath('synthetic-aperio-3000x2000.svs'));
    try {
      const geometry = new DeepZoomGeometry(slide);
      const decoded = await decodeToRgb(await renderTileJpeg(slide, geometry, { level: 8, col: 0, row: 0 }));
      expect([decoded.width, decoded.height]).toEqual([188, 125]);
    } finally {
      await slide.close();
    }
  });

  it('honours the JPEG quality option', async () => {
    const slide = openSlide(slidePath('CMU-1-Small-Region.svs'));
    try {
      const geometry = new DeepZoomGeometry(slide);
      const at = { level: 12, col: 4, row: 5 };
      const [low, standard, high] = await Promise.all(
        [30, undefined, 95].map((quality) =>
          renderTileJpeg(slide, geometry, at, quality === undefined ? {} : { quality }),
        ),
      );
      expect(low?.length).toBeLessThan(standard?.length ?? 0);
      expect(standard?.length).toBeLessThan(high?.length ?? 0);
    } finally {
      await slide.close();
    }
  });

  it('surface the slide error for an unreadable slide instead of a tile', async () => {
    const slide = openSlide(slidePath('openslide-python-unreadable.svs'));
    try {
      const geometry = new DeepZoomGeometry(slide);
      await expect(renderTileJpeg(slide, geometry, { level: 4, col: 0, row: 0 })).rejects.toMatchObject({
        name: 'SlideError',
        code: 'read-failed',
        message: expect.stringMatching(/Bogus marker length/) as unknown,
      });
    } finally {
      await slide.close();
    }
  });
});
