// A worker thread of bench/collab's throughput measurement: it hosts some of the writers, so that
// the 20 clients' own work (each applies every other client's updates) is spread over threads and the
// figure is the server's rate, not one bench thread's.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));
// `names`: the document of each of this thread's writers (all the same image, or one image each).
const { baseUrl, names, token, type, userId, clients, edits, window } = workerData;

function saved(client, limit = 0) {
  if (client.provider.unsyncedChanges <= limit) return Promise.resolve();
  return new Promise((resolve) => {
    const check = ({ number }) => {
      if (number > limit) return;
      client.provider.off('unsyncedChanges', check);
      resolve();
    };
    client.provider.on('unsyncedChanges', check);
  });
}

const writers = [];
for (let i = 0; i < clients; i++) {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const name = names[i];
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.attach();
  await new Promise((resolve) => provider.on('synced', resolve));
  const id = shared.createAnnotation(
    doc,
    { id: randomUUID(), type, vector: { x1: 1, y1: 1, x2: 9, y2: 9 } },
    { userId },
  );
  writers.push({ doc, provider, socket, id });
}
await Promise.all(writers.map((w) => saved(w)));
parentPort.postMessage('ready');
parentPort.once('message', async () => {
  await Promise.all(
    writers.map(async (w) => {
      for (let n = 0; n < edits; n++) {
        shared.updateFields(w.doc, w.id, { vector: { x1: n, y1: n, x2: n + 10, y2: n + 10 } }, { userId });
        await saved(w, window);
      }
      await saved(w);
    }),
  );
  parentPort.postMessage('done');
  for (const w of writers) {
    w.provider.destroy();
    w.socket.destroy();
  }
});
