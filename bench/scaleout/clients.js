// A worker thread of bench/scaleout: hosts some of the live clients, each on one server and image.
// Writers change their own annotation's description to the send time; every client reports, on a
// clock shared by all threads, how long each change took to reach it and whether it crossed servers.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));
const { urls, token, type, userId, clients, rateHz } = workerData;
const now = () => performance.timeOrigin + performance.now();
const samples = { cross: [], same: [] };
let disconnects = 0;
const live = [];

async function open({ image, server, writer }) {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: urls[server], WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: `image.${image}`,
    document: doc,
    token,
  });
  provider.on('disconnect', () => disconnects++);
  provider.attach();
  await new Promise((resolve) => provider.on('synced', resolve));
  const last = new Map();
  shared.observeAnnotations(doc, (ids) => {
    for (const id of ids) {
      const text = shared.readRecord(doc, id)?.description;
      if (typeof text !== 'string' || !text.startsWith('t:') || last.get(id) === text) continue;
      last.set(id, text);
      const [, sent, from] = text.split(':');
      if (id === own) continue; // its own edit
      (Number(from) === server ? samples.same : samples.cross).push(now() - Number(sent));
    }
  });
  let own;
  if (writer) {
    own = shared.createAnnotation(
      doc,
      { id: randomUUID(), type, vector: { x1: 1, y1: 1, x2: 9, y2: 9 } },
      { userId },
    );
  }
  return { doc, provider, socket, server, own };
}

for (const spec of clients) live.push(await open(spec));
parentPort.postMessage('ready');
let timer;
parentPort.on('message', (m) => {
  if (m === 'write') {
    const writers = live.filter((c) => c.own !== undefined);
    // Spread over the period: each writer edits rateHz times a second, at its own offset.
    timer = setInterval(() => {
      for (const c of writers) {
        if (Math.random() < 0.5) continue;
        shared.updateFields(c.doc, c.own, { description: `t:${now()}:${c.server}` }, { userId });
      }
    }, 500 / rateHz);
  } else if (m === 'stop') {
    clearInterval(timer);
    for (const c of live) {
      c.provider.destroy();
      c.socket.destroy();
    }
    parentPort.postMessage({ samples, disconnects });
  }
});
