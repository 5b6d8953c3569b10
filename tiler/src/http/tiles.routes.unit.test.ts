// The token routes against a real tiler on port 0 serving copies of the real test slides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { dziXml } from '../deepzoom/dzi.js';
import { openSlide } from '../sources/openslide.js';
import { decodeToRgb } from '../sources/raster.js';
import { slidePath } from '../testing/reference.js';
import { startTestTiler, type TestTiler } from '../testing/server.js';
import { lacking } from '../../../test/support/prerequisites.js';

const SLIDES = [
  'CMU-1-Small-Region.svs',
  'synthetic-aperio-3000x2000.svs',
  'test3-DAPI-2-387.ndpi',
  'openslide-python-boxes.tiff',
  'openslide-python-small.svs',
];

let t: TestTiler;
beforeAll(async () => {
  t = await startTestTiler(SLIDES);
});
afterAll(async () => {
  await t.close();
});

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${t.url}${path}`, { headers });
const tiles = (file: string, scope: ('tiles' | 'associated' | 'inspect')[] = ['tiles']): string =>
  `/v1/t/${t.token(`set/${file}`, scope)}`;

describe('GET /healthz', () => {
  it('answers ok', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});

describe.skipIf(lacking('openslide')).each(SLIDES)('%s', (file) => {
  it('serves the DZI openslide-python would, and tiles of the promised size', async () => {
    const slide = openSlide(slidePath(file));
    const geometry = new DeepZoomGeometry(slide);
    await slide.close();
    const [width, height] = geometry.dimensions;
    const base = tiles(file);

    const dzi = await get(`${base}/dzi`);
    expect(dzi.status).toBe(200);
    expect(dzi.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(await dzi.text()).toBe(dziXml({ width, height, tileSize: 254, overlap: 1 }, 'jpeg'));

    const level = geometry.levelCount - 1;
    const [cols, rows] = geometry.levelTiles[level] ?? [1, 1];
    for (const [col, row] of [
      [0, 0],
      [cols - 1, rows - 1],
    ] as const) {
      const res = await get(`${base}/tiles/${level}/${col}_${row}.jpeg`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      const decoded = await decodeToRgb(Buffer.from(await res.arrayBuffer()));
      const spec = geometry.tile(level, col, row);
      expect([decoded.width, decoded.height]).toEqual([spec.width, spec.height]);
    }
  });

  it('answers slide information with source levels and DeepZoom tile grids', async () => {
    const slide = openSlide(slidePath(file));
    const geometry = new DeepZoomGeometry(slide);
    const res = await get(`${tiles(file)}/info`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      vendor: slide.vendor,
      level_dimensions: slide.levels.map((l) => [l.width, l.height]),
      level_downsamples: slide.levels.map((l) => l.downsample),
      level_tiles: geometry.levelTiles,
      levels: geometry.levelCount,
    });
    await slide.close();
  });
});

describe.skipIf(lacking('openslide'))('tiles', () => {
  const file = 'CMU-1-Small-Region.svs';

  it('answers 304 to a matching If-None-Match, and serves identical bytes from the cache', async () => {
    const path = `${tiles(file)}/tiles/12/3_4.jpeg`;
    const first = await get(path);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[^"]+"$/);
    const body = Buffer.from(await first.arrayBuffer());

    const cachedBefore = t.tiler.images.cachedBytes;
    const again = await get(path);
    expect(Buffer.from(await again.arrayBuffer()).equals(body)).toBe(true);
    expect(again.headers.get('etag')).toBe(etag);
    expect(t.tiler.images.cachedBytes).toBe(cachedBefore);

    // Same tile under a fresh token: same ETag, because it names the content, not the URL.
    const fresh = await get(`${tiles(file)}/tiles/12/3_4.jpeg`, { 'if-none-match': etag });
    expect(fresh.status).toBe(304);
    expect(await fresh.text()).toBe('');
    const weak = await get(path, { 'if-none-match': `"other", W/${etag}` });
    expect(weak.status).toBe(304);
    const other = await get(path, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const path = `${t.url}${tiles(file)}/tiles/12/1_1.jpeg`;
    const get = await fetch(path);
    const length = (await get.arrayBuffer()).byteLength;
    const head = await fetch(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(length));
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(await head.text()).toBe('');
  });

  it('renders concurrent requests for one uncached tile once, all with the same bytes', async () => {
    const path = `${tiles(file)}/tiles/11/2_3.jpeg`;
    const bodies = await Promise.all(
      Array.from({ length: 8 }, async () => Buffer.from(await (await get(path)).arrayBuffer())),
    );
    for (const body of bodies) expect(body.equals(bodies[0] ?? Buffer.alloc(0))).toBe(true);
  });

  it.each([
    '13/0_0.jpeg',
    '12/9_0.jpeg',
    '12/0_12.jpeg',
    '12/0_0.png',
    '12/a_0.jpeg',
    '-1/0_0.jpeg',
    'x/0_0.jpeg',
  ])('answers 404 for the tile %s outside the pyramid', async (tile) => {
    const res = await get(`${tiles(file)}/tiles/${tile}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe.skipIf(lacking('openslide'))('tokens', () => {
  const file = 'CMU-1-Small-Region.svs';

  it('answer 404 to a tampered, foreign or expired token, and to a wrong scope', async () => {
    const good = t.token(`set/${file}`, ['tiles']);
    const [body = '', mac = ''] = good.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ v: 1, img: 2, src: `set/${file}`, exp: 9e9, scope: ['tiles'] })).toString('base64url')}.${mac}`;
    const wrongScope = t.token(`set/${file}`, ['associated', 'inspect']);
    const expired = t.token(`set/${file}`, ['tiles'], { exp: Math.floor(Date.now() / 1000) - 1 });
    for (const token of [tampered, `${body}.${mac.slice(1)}`, wrongScope, expired, 'nonsense', '']) {
      for (const route of ['dzi', 'info', 'tiles/12/0_0.jpeg', 'thumbnail.jpeg']) {
        const res = await get(`/v1/t/${token}/${route}`);
        expect(res.status, `${route} with ${token}`).toBe(404);
        expect(await res.json()).toEqual({ error: 'not found' });
      }
    }
    expect((await get(`/v1/t/${good}/dzi`)).status).toBe(200);
  });

  it('expire while cached: a token that worked stops working once the clock passes exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = t.token(`set/${file}`, ['tiles'], { exp: now + 10 });
    expect((await get(`/v1/t/${token}/dzi`)).status).toBe(200);
    t.setNow(now + 10);
    try {
      expect((await get(`/v1/t/${token}/dzi`)).status).toBe(404);
    } finally {
      t.setNow(null);
    }
  });

  it('answer 404 for a token naming a missing file, and 405 for other methods', async () => {
    expect((await get(`${tiles('no-such-file.svs')}/dzi`)).status).toBe(404);
    const res = await fetch(`${t.url}${tiles(file)}/dzi`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect((await get('/v1/nothing')).status).toBe(404);
  });
});
