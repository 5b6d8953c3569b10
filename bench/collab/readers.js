// A worker thread of bench/collab's latency measurement: it hosts some of the 19 reading clients and
// reports, on a clock shared by all threads, when each saw the writer's latest round.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));
const { baseUrl, name, token, clients } = workerData;
const readers = [];
for (let i = 0; i < clients; i++) {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.attach();
  await new Promise((resolve) => provider.on('synced', resolve));
  let last = '';
  shared.observeAnnotations(doc, (ids) => {
    for (const id of ids) {
      const text = shared.readRecord(doc, id)?.description;
      if (typeof text !== 'string' || text === last || !text.startsWith('round ')) continue;
      last = text;
      parentPort.postMessage({
        round: Number(text.slice(6)),
        at: performance.timeOrigin + performance.now(),
      });
    }
  });
  readers.push({ provider, socket });
}
parentPort.postMessage('ready');
parentPort.once('message', () => {
  for (const r of readers) {
    r.provider.destroy();
    r.socket.destroy();
  }
  parentPort.postMessage('closed');
});
