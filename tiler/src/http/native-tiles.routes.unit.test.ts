// The token routes for slides served in their native layout (a tiler whose tile-pack limit is 0, so the
// small test slides take the path real-size slides take), including slides with damaged stored tiles.
import { copyFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { dziXml } from '../deepzoom/dzi.js';
import { tilePackPath } from '../sources/convert.js';
import { openSlide } from '../sources/openslide.js';
import { writeTilePack } from '../tiles/pack-writer.js';
import { decodeToRgb } from '../sources/raster.js';
import { readTiffDirectories } from '../sources/tiff-directory.js';
import { slidePath } from '../testing/reference.js';
import { startTestTiler, type TestTiler } from '../testing/server.js';
import { lacking } from '../../../test/support/prerequisites.js';

let t: TestTiler;
beforeAll(async () => {
  t = await startTestTiler(
    ['CMU-1-Small-Region.svs', 'test3-DAPI-2-387.ndpi'],
    {},
    { layout: { packMaxTiles: 0 } },
  );
});
afterAll(async () => {
  await t.close();
});

const base = (file: string): string => `${t.url}/v1/t/${t.token(`set/${file}`, ['tiles'])}`;

async function tileSize(url: string): Promise<[number, number]> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/jpeg');
  const decoded = await decodeToRgb(Buffer.from(await res.arrayBuffer()));
  return [decoded.width, decoded.height];
}

/** A copy of CMU-1-Small-Region with `damage` applied to the stored bytes of level 0's tile (col, row). */
async function damagedCopy(
  name: string,
  col: number,
  row: number,
  damage: (tile: Buffer) => void,
): Promise<void> {
  const path = join(t.storageRoot, 'set', name);
  await copyFile(slidePath('CMU-1-Small-Region.svs'), path);
  const file = await open(path, 'r+');
  try {
    const [level0] = await readTiffDirectories(file, (await file.stat()).size);
    const index = row * Math.ceil((level0?.width ?? 0) / (level0?.tileWidth ?? 1)) + col;
    const offset = level0?.tileOffsets?.[index] ?? 0;
    const tile = Buffer.alloc(level0?.tileByteCounts?.[index] ?? 0);
    await file.read(tile, 0, tile.length, offset);
    damage(tile);
    await file.write(tile, 0, tile.length, offset);
  } finally {
    await file.close();
  }
}

describe.skipIf(lacking('openslide'))('a JPEG-tiled slide in its native layout', () => {
  it('has a DZI of the stored tile size without overlap', async () => {
    const res = await fetch(`${base('CMU-1-Small-Region.svs')}/dzi`);
    expect(await res.text()).toBe(dziXml({ width: 2220, height: 2967, tileSize: 240, overlap: 0 }));
  });

  it('serves edge tiles at their DeepZoom size and nothing past the edge', async () => {
    const url = base('CMU-1-Small-Region.svs');
    // 2220 x 2967 = 9 full columns + 60 px, 12 full rows + 87 px; one level down 1110 x 1484, then 555 x 742.
    expect(await tileSize(`${url}/tiles/12/0_0.jpeg`)).toEqual([240, 240]);
    expect(await tileSize(`${url}/tiles/12/9_0.jpeg`)).toEqual([60, 240]);
    expect(await tileSize(`${url}/tiles/12/0_12.jpeg`)).toEqual([240, 87]);
    expect(await tileSize(`${url}/tiles/12/9_12.jpeg`)).toEqual([60, 87]);
    expect(await tileSize(`${url}/tiles/11/4_6.jpeg`)).toEqual([150, 44]);
    expect(await tileSize(`${url}/tiles/10/2_3.jpeg`)).toEqual([75, 22]);
    for (const outside of ['12/10_0', '12/0_13', '11/5_0', '11/0_7']) {
      expect((await fetch(`${url}/tiles/${outside}.jpeg`)).status, outside).toBe(404);
    }
  });

  it('reports the layout in slide information', async () => {
    const info = (await (await fetch(`${base('CMU-1-Small-Region.svs')}/info`)).json()) as {
      level_tiles?: unknown;
    };
    expect(JSON.stringify(info)).toContain('[10,13]');
  });

  // Rendering every tile of the pack takes a while on a busy machine, hence the longer timeout.
  it("keeps a slide that has a tile pack in the pack's layout", async () => {
    const path = join(t.storageRoot, 'set', 'packed.svs');
    await copyFile(slidePath('CMU-1-Small-Region.svs'), path);
    const slide = openSlide(path);
    try {
      await writeTilePack(slide, new DeepZoomGeometry(slide), tilePackPath(path), 90);
    } finally {
      await slide.close();
    }
    const res = await fetch(`${base('packed.svs')}/dzi`);
    expect(await res.text()).toMatch(/TileSize="254" Overlap="1"/);
  }, 60_000);

  it('leaves other formats in openslide-python layout', async () => {
    const res = await fetch(`${base('test3-DAPI-2-387.ndpi')}/dzi`);
    expect(await res.text()).toMatch(/TileSize="254" Overlap="1"/);
  });
});

describe.skipIf(lacking('openslide'))('a damaged stored tile', () => {
  it('is a clear 422 for the tiles that need it, and the rest of the slide is served', async () => {
    await damagedCopy('no-jpeg.svs', 1, 1, (tile) => tile.fill(0, 0, 2));
    const url = base('no-jpeg.svs');
    for (const address of ['12/1_1', '11/0_0']) {
      const res = await fetch(`${url}/tiles/${address}.jpeg`);
      expect(res.status, address).toBe(422);
      expect(await res.json()).toEqual({ error: 'native tile 1_1 of level 0 is not a JPEG stream' });
    }
    expect(await tileSize(`${url}/tiles/12/2_1.jpeg`)).toEqual([240, 240]);
  });

  it('is found by the decoder where a tile is decoded', async () => {
    // Garbage in the middle of the entropy-coded data: the header check passes, decoding does not.
    await damagedCopy('bad-data.svs', 4, 4, (tile) =>
      tile.fill(0xff, Math.floor(tile.length / 2), tile.length - 2),
    );
    const url = base('bad-data.svs');
    const res = await fetch(`${url}/tiles/11/2_2.jpeg`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^the slide's stored JPEG data for tile 2_2 of level 11 cannot be decoded: /,
    );
    expect(await tileSize(`${url}/tiles/11/1_1.jpeg`)).toEqual([240, 240]);
  });
});
