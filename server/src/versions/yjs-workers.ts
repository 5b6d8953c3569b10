import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * The Yjs work of capturing documents (decoding whole 13.6 MB states for their state vector or a
 * delta: most of the time of making a version) on worker threads, so it runs beside this process's
 * event loop and on every core. The workers run plain CommonJS (no TypeScript build step), loading
 * the same installed `yjs`; each call copies its bytes over and back (milliseconds per document).
 */

/** The Yjs operations a capture needs, each on a worker. */
export interface YjsOps {
  mergeUpdates(updates: readonly Uint8Array[]): Promise<Uint8Array>;
  diffUpdate(update: Uint8Array, stateVector: Uint8Array): Promise<Uint8Array>;
  stateVectorFromUpdate(update: Uint8Array): Promise<Uint8Array>;
}

type Op = 'mergeUpdates' | 'diffUpdate' | 'stateVectorFromUpdate';

/** The worker's whole program: one Yjs call per message. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
const ops = {
  mergeUpdates: (args) => Y.mergeUpdates(args),
  diffUpdate: ([update, stateVector]) => Y.diffUpdate(update, stateVector),
  stateVectorFromUpdate: ([update]) => Y.encodeStateVectorFromUpdate(update),
};
parentPort.on('message', ({ id, op, args }) => {
  try {
    const result = ops[op](args);
    parentPort.postMessage({ id, result }, [result.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Pending {
  resolve(result: Uint8Array): void;
  reject(error: Error): void;
}

/** A few workers; calls go to the one with the fewest waiting. Close it when done. */
export class YjsWorkers implements YjsOps {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;

  get size(): number {
    return this.workers.length;
  }

  constructor(size: number) {
    const yjs = createRequire(import.meta.url).resolve('yjs');
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
      const pending = new Map<number, Pending>();
      worker.on('message', (m: { id: number; result?: Uint8Array; error?: string }) => {
        const call = pending.get(m.id);
        pending.delete(m.id);
        if (m.result) call?.resolve(m.result);
        else call?.reject(new Error(`Yjs worker: ${m.error ?? 'no result'}`));
      });
      const failAll = (error: Error) => {
        for (const call of pending.values()) call.reject(error);
        pending.clear();
      };
      worker.on('error', failAll);
      worker.on('exit', (code) => {
        failAll(new Error(`Yjs worker exited (${code})`));
      });
      this.workers.push({ worker, pending });
    }
  }

  mergeUpdates(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    return this.call('mergeUpdates', [...updates]);
  }

  diffUpdate(update: Uint8Array, stateVector: Uint8Array): Promise<Uint8Array> {
    return this.call('diffUpdate', [update, stateVector]);
  }

  stateVectorFromUpdate(update: Uint8Array): Promise<Uint8Array> {
    return this.call('stateVectorFromUpdate', [update]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private call(op: Op, args: Uint8Array[]): Promise<Uint8Array> {
    const target = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      // Copied, not transferred: the caller's buffers may be slices of larger ones it still uses.
      target.worker.postMessage({ id, op, args });
    });
  }
}
