// Node clients of the million bench: one WebSocket per client (as a browser tab has), any number of
// documents multiplexed on it, the bytes it received counted; and the viewports a client opens.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));

/** A screen: what one client shows. */
export const SCREEN = { width: 1920, height: 1080 };
/**
 * How long a document may take to sync before the bench gives up on it (a refused name never syncs);
 * a million-annotation document took over 120 s on a loaded 2-core machine.
 */
const SYNC_TIMEOUT_MS = Number(process.env.BENCH_MILLION_SYNC_TIMEOUT_MS ?? 600_000);

/** A client: a socket that counts what it receives, and the documents opened on it by name. */
export function newClient(baseUrl, token) {
  // largestAt: when the largest message (a whole document's state) arrived: the server's share ends then.
  const counter = { bytes: 0, largest: 0, largestAt: undefined };
  class CountingWebSocket extends WebSocket {
    // A whole million-annotation document is one sync message of about 270 MB: over ws's default
    // 100 MiB limit for a message, which would close the socket before the reference ever synced.
    constructor(address, protocols) {
      super(address, protocols, { maxPayload: 0 });
      this.on('message', (data) => {
        const bytes = data.byteLength ?? data.length ?? 0;
        counter.bytes += bytes;
        if (bytes > counter.largest) {
          counter.largest = bytes;
          counter.largestAt = performance.now();
        }
      });
    }
  }
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: CountingWebSocket,
  });
  const docs = new Map();
  return {
    counter,
    docs,
    /** Opens documents `names` at once; resolves when all are synced, with the time it took. */
    async open(names) {
      const started = performance.now();
      await Promise.all(
        names.map((name) => {
          const doc = new Y.Doc();
          const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
          provider.attach();
          docs.set(name, { doc, provider });
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`${name} did not sync within ${SYNC_TIMEOUT_MS} ms`)),
              SYNC_TIMEOUT_MS,
            );
            provider.on('synced', () => {
              clearTimeout(timer);
              resolve();
            });
            provider.on('authenticationFailed', ({ reason }) => {
              clearTimeout(timer);
              reject(new Error(`${name} refused: ${reason}`));
            });
          });
        }),
      );
      return performance.now() - started;
    },
    close() {
      for (const { provider } of docs.values()) provider.destroy();
      socket.destroy();
    },
  };
}

/** Resolves when the server has acknowledged every change of `provider`. */
export function saved(provider) {
  if (provider.unsyncedChanges === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const check = ({ number }) => {
      if (number > 0) return;
      provider.off('unsyncedChanges', check);
      resolve();
    };
    provider.on('unsyncedChanges', check);
  });
}

/** The level-0 rectangle a SCREEN shows centred on (cx, cy) at `downsample` (1: full resolution). */
export function viewAt(cx, cy, downsample) {
  const width = SCREEN.width * downsample;
  const height = SCREEN.height * downsample;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/** The names of image `imageId`'s region documents whose annotations may show in `view` (G4). */
export function regionNames(imageId, index, view) {
  return shared.regionsMeeting(index, view).map((key) =>
    shared.formatDocumentName({
      imageId,
      userId: null,
      part: { kind: 'region', region: shared.parseRegionKey(key) },
    }),
  );
}

export function indexName(imageId) {
  return shared.formatDocumentName({ imageId, userId: null, part: { kind: 'index' } });
}

/** A live box of `doc` to move; made (at `at`) when the document has none, as in a branch whose server
 *  does not yet route creates into region documents. */
export async function boxToMove(doc, provider, { type, userId, at }) {
  for (const [id] of shared.annotationsOf(doc)) {
    const record = shared.readRecord(doc, id);
    if (record && !record.deleted && record.vector && 'x1' in record.vector)
      return { id, vector: record.vector };
  }
  const vector = { x1: at.x, y1: at.y, x2: at.x + 30, y2: at.y + 30 };
  const id = shared.createAnnotation(doc, { id: randomUUID(), type, vector }, { userId });
  await saved(provider);
  return { id, vector, made: true };
}

/**
 * Edit-to-remote over `pairs` of [writer, watcher] documents ({ doc, provider }): round r, pair
 * r % pairs.length moves its box by one pixel; the time until the watcher's document has the new
 * vector (one clock: both clients are in this process).
 */
export async function moveRounds(pairs, { rounds, userId }) {
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const pair = pairs[round % pairs.length];
    // Alternates between two positions, so every round of a pair is a change.
    const x1 = pair.box.vector.x1 + 1 + (Math.floor(round / pairs.length) % 2);
    const vector = { ...pair.box.vector, x1, x2: x1 + (pair.box.vector.x2 - pair.box.vector.x1) };
    const seen = new Promise((resolve) => {
      const stop = shared.observeAnnotations(pair.watcher.doc, (ids) => {
        if (!ids.has(pair.box.id)) return;
        if (shared.readRecord(pair.watcher.doc, pair.box.id)?.vector?.x1 !== x1) return;
        stop();
        resolve(performance.now());
      });
    });
    const sent = performance.now();
    shared.updateFields(pair.writer.doc, pair.box.id, { vector }, { userId });
    samples.push((await seen) - sent);
    await saved(pair.writer.provider);
  }
  return samples;
}
