import { describe, expect, it } from 'vitest';
import { reference, slidePath } from '../testing/reference.js';
import { detectVendor, openSlide, openslideVersion } from './openslide.js';
import { SlideError } from './slide-error.js';
import { lacking } from '../../../test/support/prerequisites.js';

// Expected values from SOURCES.md (read there with openslide-show-properties).
const SLIDES: readonly { file: string; vendor: string; levels: readonly (readonly [number, number])[] }[] = [
  { file: 'CMU-1-Small-Region.svs', vendor: 'aperio', levels: [[2220, 2967]] },
  {
    file: 'synthetic-aperio-3000x2000.svs',
    vendor: 'aperio',
    levels: [
      [3000, 2000],
      [1500, 1000],
      [750, 500],
      [375, 250],
      [187, 125],
    ],
  },
  ...['test3-DAPI-2-387.ndpi', 'test3-TRITC-2-560.ndpi'].map((file) => ({
    file,
    vendor: 'hamamatsu',
    levels: [
      [3968, 4864],
      [1984, 2432],
      [992, 1216],
      [496, 608],
      [248, 304],
      [124, 152],
      [62, 76],
    ] as const,
  })),
  {
    file: 'openslide-python-boxes.tiff',
    vendor: 'generic-tiff',
    levels: [
      [300, 250],
      [150, 125],
      [75, 62],
      [37, 31],
    ],
  },
  { file: 'openslide-python-small.svs', vendor: 'aperio', levels: [[16, 16]] },
];

interface SlideReference {
  vendor: string;
  level_downsamples: number[];
  properties: Record<string, string>;
  associated: Record<string, [number, number]>;
}

describe.skipIf(lacking('openslide'))('OpenSlide source', () => {
  it('binds the Debian library, OpenSlide 3.4.1', () => {
    expect(openslideVersion()).toBe('3.4.1');
  });

  describe.each(SLIDES)('$file', ({ file, vendor, levels }) => {
    it('opens with the right vendor, level count and dimensions', async () => {
      const slide = openSlide(slidePath(file));
      try {
        expect(detectVendor(slidePath(file))).toBe(vendor);
        expect(slide.vendor).toBe(vendor);
        expect(slide.levels.map((l) => [l.width, l.height])).toEqual(levels);
        expect(slide.levels[0]?.downsample).toBe(1);
      } finally {
        await slide.close();
      }
    });

    it('reports the same downsamples, properties and associated images as openslide-python', async () => {
      const expected = reference(['slide', slidePath(file)]) as SlideReference;
      const slide = openSlide(slidePath(file));
      try {
        expect(slide.vendor).toBe(expected.vendor);
        expect(slide.levels.map((l) => l.downsample)).toEqual(expected.level_downsamples);
        expect(Object.fromEntries(slide.properties)).toEqual(expected.properties);
        const associated = Object.fromEntries(
          slide.associatedImages.map((a) => [a.name, [a.width, a.height]]),
        );
        expect(associated).toEqual(expected.associated);
      } finally {
        await slide.close();
      }
    });
  });

  it('reads a region as opaque RGB of the requested size', async () => {
    const slide = openSlide(slidePath('CMU-1-Small-Region.svs'));
    try {
      const region = await slide.readRegion({ x: 1000, y: 1000, level: 0, width: 30, height: 20 });
      expect(region.width).toBe(30);
      expect(region.height).toBe(20);
      expect(region.data.length).toBe(30 * 20 * 3);
      // H&E tissue in the middle of the slide: not a blank white or black patch.
      const mean = region.data.reduce((sum, v) => sum + v, 0) / region.data.length;
      expect(mean).toBeGreaterThan(60);
      expect(mean).toBeLessThan(240);
    } finally {
      await slide.close();
    }
  });

  it('fills areas outside the image with white background', async () => {
    const slide = openSlide(slidePath('openslide-python-small.svs'));
    try {
      const region = await slide.readRegion({ x: 100, y: 100, level: 0, width: 4, height: 4 });
      expect([...region.data].every((v) => v === 255)).toBe(true);
    } finally {
      await slide.close();
    }
  });

  it('runs many region reads concurrently', async () => {
    const slide = openSlide(slidePath('test3-DAPI-2-387.ndpi'));
    try {
      const reads = Array.from({ length: 16 }, (_, i) =>
        slide.readRegion({ x: i * 200, y: i * 250, level: 0, width: 256, height: 256 }),
      );
      const regions = await Promise.all(reads);
      expect(regions.map((r) => r.data.length)).toEqual(Array(16).fill(256 * 256 * 3));
    } finally {
      await slide.close();
    }
  });

  it('queues reads beyond the 256 asynchronous calls koffi allows instead of failing them', async () => {
    const slide = openSlide(slidePath('test3-DAPI-2-387.ndpi'));
    try {
      const reads = Array.from({ length: 600 }, (_, i) =>
        slide.readRegion({ x: (i % 15) * 254, y: (i % 19) * 254, level: 0, width: 64, height: 64 }),
      );
      const settled = await Promise.allSettled(reads);
      expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      await slide.close();
    }
  });

  it('close() waits for reads in flight, then refuses new ones', async () => {
    const slide = openSlide(slidePath('CMU-1-Small-Region.svs'));
    const reads = Array.from({ length: 8 }, (_, i) =>
      slide.readRegion({ x: i * 100, y: 0, level: 0, width: 512, height: 512 }),
    );
    const closing = slide.close();
    const regions = await Promise.all(reads);
    await closing;
    expect(regions.map((r) => r.data.length)).toEqual(Array(8).fill(512 * 512 * 3));
    await expect(slide.readRegion({ x: 0, y: 0, level: 0, width: 1, height: 1 })).rejects.toMatchObject({
      code: 'closed',
    });
  });

  it('reads associated images at their reported size', async () => {
    const slide = openSlide(slidePath('CMU-1-Small-Region.svs'));
    try {
      const label = await slide.readAssociatedImage('label');
      expect([label.width, label.height]).toEqual([387, 463]);
      expect(label.data.length).toBe(387 * 463 * 3);
      await expect(slide.readAssociatedImage('nope')).rejects.toMatchObject({ code: 'bad-request' });
    } finally {
      await slide.close();
    }
  });

  it('rejects bad region requests before calling OpenSlide', async () => {
    const slide = openSlide(slidePath('openslide-python-small.svs'));
    try {
      for (const bad of [
        { x: 0, y: 0, level: 1, width: 1, height: 1 },
        { x: 0, y: 0, level: 0, width: 0, height: 1 },
        { x: 0.5, y: 0, level: 0, width: 1, height: 1 },
        { x: 0, y: 0, level: 0, width: 100_000, height: 100_000 },
      ]) {
        await expect(slide.readRegion(bad)).rejects.toMatchObject({
          name: 'SlideError',
          code: 'bad-request',
        });
      }
      // Bad requests do not kill the handle.
      await expect(slide.readRegion({ x: 0, y: 0, level: 0, width: 1, height: 1 })).resolves.toBeDefined();
    } finally {
      await slide.close();
    }
  });

  it('fails cleanly after close', async () => {
    const slide = openSlide(slidePath('openslide-python-small.svs'));
    await slide.close();
    await slide.close();
    await expect(slide.readRegion({ x: 0, y: 0, level: 0, width: 1, height: 1 })).rejects.toMatchObject({
      code: 'closed',
    });
  });
});

describe.skipIf(lacking('openslide'))('broken slides', () => {
  it('unopenable.tiff fails to open with OpenSlide message', () => {
    const open = () => openSlide(slidePath('openslide-python-unopenable.tiff'));
    expect(open).toThrow(SlideError);
    expect(open).toThrow(/Unsupported TIFF compression: 52479/);
    try {
      open();
    } catch (err) {
      expect(err).toMatchObject({ code: 'open-failed' });
    }
  });

  it('files OpenSlide does not recognise fail as unsupported', () => {
    for (const file of ['openslide-python-boxes_0.dcm', 'SOURCES.md', 'does-not-exist.svs']) {
      expect(() => openSlide(slidePath(file))).toThrow(
        expect.objectContaining({ code: 'unsupported', message: expect.stringContaining(file) as unknown }),
      );
    }
  });

  it('unreadable.svs opens, then the first read fails and the handle stays dead', async () => {
    const slide = openSlide(slidePath('openslide-python-unreadable.svs'));
    try {
      expect(slide.vendor).toBe('aperio');
      expect(slide.levels).toEqual([{ width: 16, height: 16, downsample: 1 }]);
      const read = () => slide.readRegion({ x: 0, y: 0, level: 0, width: 16, height: 16 });
      await expect(read()).rejects.toThrow(/Bogus marker length/);
      await expect(read()).rejects.toMatchObject({ name: 'SlideError', code: 'read-failed' });
      expect(slide.error?.message).toMatch(/Bogus marker length/);
    } finally {
      await slide.close();
    }
    // The process is unharmed: other slides still read.
    const good = openSlide(slidePath('openslide-python-small.svs'));
    await expect(good.readRegion({ x: 0, y: 0, level: 0, width: 16, height: 16 })).resolves.toMatchObject({
      width: 16,
    });
    await good.close();
  });
});
