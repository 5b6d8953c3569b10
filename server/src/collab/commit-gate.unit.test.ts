import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CommitGate } from './commit-gate.js';
import type { NewUpdate } from './documents.repo.js';
import { UpdateLog } from './update-log.js';

/** A socket that records what is written to it. */
function fakeSocket() {
  const sent: string[] = [];
  const closed: (number | undefined)[] = [];
  const socket = {
    readyState: 1,
    send: (data: Uint8Array) => sent.push(new TextDecoder().decode(data)),
    close: (code?: number) => closed.push(code),
  };
  return { socket: socket as unknown as WebSocket, sent, closed };
}

/** An update log whose batches commit when told. */
function heldLog() {
  const release: (() => void)[] = [];
  let next = 1;
  const log = new UpdateLog(
    (updates: readonly NewUpdate[]) =>
      new Promise<number[]>((resolve) =>
        release.push(() => {
          resolve(updates.map(() => next++));
        }),
      ),
  );
  return { log, release };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const update: NewUpdate = { document: 'image.1', update: new Uint8Array([1]), userId: 1 };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CommitGate', () => {
  it('[P1] sends at once while nothing is written, holds in order until the appends before commit', async () => {
    const { log, release } = heldLog();
    const gate = new CommitGate(log);
    log.onSettled(() => {
      gate.release();
    });
    const { socket, sent } = fakeSocket();
    const gated = gate.wrap(socket);
    gated.send(bytes('hello'));
    expect(sent).toEqual(['hello']);
    const written = log.append(update);
    gated.send(bytes('saved 1'));
    await tick();
    const later = log.append(update); // next batch
    gated.send(bytes('saved 2'));
    gated.send(bytes('awareness'));
    expect(sent).toEqual(['hello']);
    expect(gate.heldCount).toBe(3);
    release.shift()?.();
    await written;
    expect(sent).toEqual(['hello', 'saved 1']);
    await tick();
    release.shift()?.();
    await later;
    expect(sent).toEqual(['hello', 'saved 1', 'saved 2', 'awareness']);
    expect(gate.heldCount).toBe(0);
  });

  it('[P6] closing a socket drops what it holds', async () => {
    const { log, release } = heldLog();
    const gate = new CommitGate(log);
    log.onSettled(() => {
      gate.release();
    });
    const { socket, sent, closed } = fakeSocket();
    const gated = gate.wrap(socket);
    const written = log.append(update);
    gated.send(bytes('saved'));
    gated.close(1011, 'persistence-failed');
    await tick();
    release.shift()?.();
    await written;
    expect(sent).toEqual([]);
    expect(closed).toEqual([1011]);
  });
});
