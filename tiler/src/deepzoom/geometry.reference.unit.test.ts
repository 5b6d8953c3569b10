// DeepZoom geometry against openslide-python's DeepZoomGenerator, tile by tile, on the real slides.
import { describe, expect, it } from 'vitest';
import { openSlide } from '../sources/openslide.js';
import { reference, slidePath } from '../testing/reference.js';
import { dziXml } from './dzi.js';
import { DeepZoomGeometry, type DeepZoomOptions } from './geometry.js';
import { lacking } from '../../../test/support/prerequisites.js';

interface GeometryReference {
  level_count: number;
  level_dimensions: [number, number][];
  level_tiles: [number, number][];
  tile_count: number;
  dzi_jpeg: string;
  dzi_png: string;
  /** [level, col, row, x, y, slideLevel, width, height, tileWidth, tileHeight] for every tile. */
  tiles: number[][];
}

const SLIDES = [
  'CMU-1-Small-Region.svs',
  'synthetic-aperio-3000x2000.svs',
  'test3-DAPI-2-387.ndpi',
  'test3-TRITC-2-560.ndpi',
  'openslide-python-boxes.tiff',
  'openslide-python-small.svs',
];

// Bounds chosen so scaled level sizes need rounding (odd sizes, fractional downsamples).
const BOUNDS: Record<string, [number, number, number, number]> = {
  'synthetic-aperio-3000x2000.svs': [123, 77, 2501, 1333],
  'test3-DAPI-2-387.ndpi': [5, 9, 3001, 4017],
  'openslide-python-boxes.tiff': [7, 3, 251, 199],
};

async function compare(
  file: string,
  args: string[],
  options: DeepZoomOptions,
  extra: Record<string, string> = {},
) {
  const expected = reference(['geometry', slidePath(file), ...args]) as GeometryReference;
  const slide = openSlide(slidePath(file));
  try {
    const properties = new Map([...slide.properties, ...Object.entries(extra)]);
    const g = new DeepZoomGeometry({ levels: slide.levels, properties }, options);
    expect(g.levelCount).toBe(expected.level_count);
    expect(g.levelDimensions).toEqual(expected.level_dimensions);
    expect(g.levelTiles).toEqual(expected.level_tiles);
    expect(g.tileCount).toBe(expected.tile_count);
    const actual = expected.tiles.map(([level = -1, col = -1, row = -1]) => {
      const t = g.tile(level, col, row);
      return [
        level,
        col,
        row,
        t.region.x,
        t.region.y,
        t.region.level,
        t.region.width,
        t.region.height,
        t.width,
        t.height,
      ];
    });
    expect(actual).toEqual(expected.tiles);
    const [width, height] = g.dimensions;
    const dzi = { width, height, tileSize: g.tileSize, overlap: g.overlap };
    expect(dziXml(dzi)).toBe(expected.dzi_jpeg);
    expect(dziXml(dzi, 'png')).toBe(expected.dzi_png);
    return expected.tiles.length;
  } finally {
    await slide.close();
  }
}

describe.skipIf(lacking('openslide'))('DeepZoom geometry matches openslide-python DeepZoomGenerator', () => {
  it.each(SLIDES)('%s: every level and every tile (limit_bounds false)', async (file) => {
    expect(await compare(file, [], {})).toBeGreaterThan(0);
  });

  it.each(Object.entries(BOUNDS))(
    '%s: every tile with limit_bounds true and bounds %j',
    async (file, bounds) => {
      const [x, y, w, h] = bounds;
      const props = {
        'openslide.bounds-x': String(x),
        'openslide.bounds-y': String(y),
        'openslide.bounds-width': String(w),
        'openslide.bounds-height': String(h),
      };
      expect(
        await compare(file, ['--bounds', bounds.join(','), '--limit-bounds'], { limitBounds: true }, props),
      ).toBeGreaterThan(0);
    },
  );

  // The native layout of JPEG-tiled slides (native-layout.ts): the stored 240-px grid, no overlap; the
  // slides' sizes are not multiples of 240, so the last column and row are partial on every level.
  it.each(['CMU-1-Small-Region.svs', 'synthetic-aperio-3000x2000.svs'])(
    '%s: every tile with 240-px tiles and no overlap',
    async (file) => {
      expect(
        await compare(file, ['--tile-size', '240', '--overlap', '0'], { tileSize: 240, overlap: 0 }),
      ).toBeGreaterThan(0);
    },
  );

  it('limit_bounds true without bounds properties equals the whole slide', async () => {
    expect(
      await compare('CMU-1-Small-Region.svs', ['--limit-bounds'], { limitBounds: true }),
    ).toBeGreaterThan(0);
  });
});
