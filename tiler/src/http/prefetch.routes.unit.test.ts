// Prefetching on a real tiler: a slide in its native layout (tile-pack limit 0), where a tile of the level
// between stored levels costs a decode and a stored-level tile does not.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestTiler, type TestTiler } from '../testing/server.js';
import { lacking } from '../../../test/support/prerequisites.js';

const SLIDE = 'CMU-1-Small-Region.svs';
let t: TestTiler | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(prefetch: string): Promise<TestTiler> {
  t = await startTestTiler([SLIDE], { TESSERA_TILER_PREFETCH: prefetch }, { layout: { packMaxTiles: 0 } });
  return t;
}

async function fetchTile(tiler: TestTiler, tile: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`${tiler.url}/v1/t/${tiler.token(`set/${SLIDE}`, ['tiles'])}/tiles/${tile}.jpeg`);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

async function get(tiler: TestTiler, tile: string): Promise<number> {
  return (await fetchTile(tiler, tile)).status;
}

/** Waits until the tiler's prefetch queue is empty and nothing is being prefetched. */
async function idle(tiler: TestTiler): Promise<void> {
  const { images } = tiler.tiler;
  for (let i = 0; i < 1000; i++) {
    if (images.prefetch.queued === 0 && images.prefetch.running === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A viewer's first tiles: two beside 11/2_3, then 11/2_3 itself (two neighbours asked for lately). */
async function view(tiler: TestTiler): Promise<void> {
  for (const tile of ['11/1_3', '11/2_2', '11/2_3']) expect(await get(tiler, tile)).toBe(200);
}

// 2220 x 2967 stored as 240-px JPEG tiles: DeepZoom level 12 is passed through, level 11 (1110 x 1484,
// 5 x 7 tiles) is made from 2 x 2 stored tiles each.
describe.skipIf(lacking('openslide'))('tile prefetching', () => {
  it('renders the neighbours of a decoded tile, which are then answered from memory', async () => {
    const tiler = await start('64');
    const { images } = tiler.tiler;
    await view(tiler);
    await idle(tiler);
    // Eight neighbours, two of them already asked for.
    expect(images.prefetch).toEqual({ queued: 0, running: 0, started: 6, dropped: 0 });
    const before = images.cacheLookups;
    for (const tile of ['11/1_2', '11/3_2', '11/3_3', '11/1_4', '11/2_4', '11/3_4']) {
      expect(await get(tiler, tile)).toBe(200);
    }
    expect(images.cacheLookups.hits - before.hits).toBe(6);
    expect(images.cacheLookups.misses - before.misses).toBe(0);
  });

  it('prefetches nothing for scattered requests', async () => {
    const tiler = await start('64');
    for (const tile of ['11/0_0', '11/4_6', '11/2_3', '11/0_6', '11/4_0']) {
      expect(await get(tiler, tile)).toBe(200);
    }
    await idle(tiler);
    expect(tiler.tiler.images.prefetch.started).toBe(0);
  });

  it('serves the bytes a request would have rendered', async () => {
    const on = await start('64');
    await view(on);
    await idle(on);
    const prefetched = await fetchTile(on, '11/3_4');
    expect(on.tiler.images.cacheLookups.hits).toBe(1);
    await on.close();
    const off = await start('0');
    const rendered = await fetchTile(off, '11/3_4');
    expect(off.tiler.images.cacheLookups).toEqual({ hits: 0, misses: 1 });
    expect(prefetched.body.equals(rendered.body)).toBe(true);
  });

  it('never prefetches passed-through tiles, tiles outside the level or anything when off', async () => {
    const on = await start('64');
    // Stored tiles side by side: nothing queued.
    for (const tile of ['12/0_0', '12/1_0', '12/0_1', '12/1_1']) expect(await get(on, tile)).toBe(200);
    // A corner: 3 neighbours inside the level, 2 of them asked for.
    for (const tile of ['11/1_0', '11/0_1', '11/0_0']) expect(await get(on, tile)).toBe(200);
    await idle(on);
    expect(on.tiler.images.prefetch).toEqual({ queued: 0, running: 0, started: 1, dropped: 0 });
    await on.close();
    const off = await start('0');
    await view(off);
    await new Promise((r) => setTimeout(r, 50));
    expect(off.tiler.images.prefetch).toEqual({ queued: 0, running: 0, started: 0, dropped: 0 });
  });

  it('keeps the queue bounded and drops it when the tiler closes', async () => {
    const tiler = await start('2');
    // Six neighbours wanted: at most two wait (one may already run), the oldest of the rest are dropped.
    await view(tiler);
    const { images } = tiler.tiler;
    const { queued, started, dropped } = images.prefetch;
    expect(queued).toBeLessThanOrEqual(2);
    expect(dropped).toBeGreaterThanOrEqual(3);
    expect(queued + started + dropped).toBe(6);
    await tiler.close();
    t = undefined;
    expect([images.prefetch.queued, images.prefetch.running]).toEqual([0, 0]);
    const closedAt = images.prefetch.started;
    await new Promise((r) => setTimeout(r, 50));
    expect(images.prefetch.started).toBe(closedAt);
  });
});
