// What the client benches share: a server process with its tiler on a bench database, one real
// slide with `count` small boxes written through a live document, and headless Chromium.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readFile } from 'node:fs/promises';
import { api, benchScene, databaseUrl, startTessera, untilReady, uploadImage } from '../server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));

/** The server on `database`, with its own tiler (the page loads real tiles). */
export function startServer(database, dataDir) {
  return startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: {
      TESSERA_TILER_PORT: String(20_000 + Math.floor(Math.random() * 10_000)),
      // BENCH_LOG_LEVEL=info shows the server's log (stderr) while debugging the bench.
      TESSERA_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
    },
  });
}

/** A team, set, box type and one real slide (CMU-1-Small-Region, 2220 x 2967), ready. */
export async function fixture(baseUrl) {
  const scene = await benchScene(baseUrl, { slide: 'CMU-1-Small-Region.svs', ready: true });
  return {
    type: scene.type.id,
    image: scene.image.id,
    width: 2220,
    height: 2967,
    token: scene.token,
    userId: scene.userId,
  };
}

/** A node client of the image's live document (the admin's token), synced. */
async function connect(baseUrl, fx) {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: `image.${fx.image}`,
    document: doc,
    token: fx.token,
  });
  provider.attach();
  await new Promise((resolve) => provider.on('synced', resolve));
  return { doc, provider, socket };
}

/** Writes `count` small boxes in a grid over the slide through a live document, 1,000 per update. */
export async function writeAnnotations(baseUrl, fx, count) {
  const { doc, provider, socket } = await connect(baseUrl, fx);
  const cols = Math.ceil(Math.sqrt((count * fx.width) / fx.height));
  const dx = fx.width / cols;
  const dy = fx.height / Math.ceil(count / cols);
  for (let start = 0; start < count; start += 1000) {
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const x = Math.round((i % cols) * dx);
        const y = Math.round(Math.floor(i / cols) * dy);
        shared.createAnnotation(
          doc,
          { id: randomUUID(), type: fx.type, vector: { x1: x, y1: y, x2: x + 5, y2: y + 4 } },
          { userId: fx.userId },
        );
      }
    });
    while (provider.unsyncedChanges > 0) await new Promise((r) => setTimeout(r, 20));
  }
  provider.destroy();
  socket.destroy();
}

/** Debian's headless Chromium with the flags this closed machine needs. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * The million scene (BENCH_SCENE=million): a real-size slide made once with vips as bench/tiles makes
 * its own (66,000 x 50,000 for more than 585,000 cells), the demo generator's cells over it as five box types, written through EXACT's bulk
 * create (bench/million/generate.js). With `regions`, the image gets annotation_region_size 4096
 * before any annotation (G1). The layout may place fewer cells than asked where the slide is too
 * small for them; the count written is returned.
 */
/**
 * The million scene's slide: the demo layout places about 340 cells per megapixel, so 1,000,000 cells
 * need ~3 gigapixels (48,000 x 36,000 holds ~585,000).
 */
const MILLION_SLIDE = { width: 66_000, height: 50_000 };

export async function millionFixture(baseUrl, { count, regions = false }) {
  const { realSizeSlide } = await import('../tiles/support.js');
  const { cellTypes, fillImage } = await import('../million/generate.js');
  const scene = await benchScene(baseUrl);
  const product = (await api(baseUrl, 'GET', `/images/image_sets/${scene.set.id}/`)).product_set[0];
  const types = await cellTypes(baseUrl, product);
  const image = await uploadImage(
    baseUrl,
    scene.set.id,
    await readFile(realSizeSlide(count > 585_000 ? MILLION_SLIDE : undefined)),
    'million.svs',
  );
  // G1: the region size is set before any annotation, as an admin does it (G6).
  if (regions) await api(baseUrl, 'POST', `/images/images/${image.id}/regions/`, { size: 4096 });
  await untilReady(baseUrl, image.id, 600);
  const { width, height } = await api(baseUrl, 'GET', `/images/images/${image.id}/`);
  const filled = await fillImage(baseUrl, { image: image.id, types, count, width, height });
  console.log(
    `wrote ${filled.count} annotations in ${filled.seconds.toFixed(1)} s = ${Math.round(filled.perSecond)}/s`,
  );
  return {
    type: types.values().next().value,
    image: image.id,
    width,
    height,
    token: scene.token,
    userId: scene.userId,
    count: filled.count,
  };
}
