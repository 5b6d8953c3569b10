import { Worker } from 'node:worker_threads';
import { VISION, detectObjects, type DetectOptions, type Detection } from './detect-objects.js';

/*
 * The detector on worker threads: a whole slide is hundreds of tiles of CPU work that must neither
 * stall the server's requests and live documents nor stay on one core. The workers run plain
 * JavaScript built from the detector's own functions' source text (no build step, no second copy of
 * the code), as the map embedding and the version workers do.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
${Object.values(VISION)
  .map((f) => f.toString())
  .join('\n')}
const vision = { ${Object.keys(VISION).join(', ')} };
const detectObjects = ${detectObjects.toString()};
parentPort.on('message', ({ id, data, width, height, options }) => {
  try {
    parentPort.postMessage({ id, found: detectObjects(data, width, height, options, vision) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Pending {
  resolve(found: Detection[]): void;
  reject(error: Error): void;
}

/** `size` detector threads; each call goes to the one with the fewest waiting. Close it when done. */
export class DetectorPool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      const pending = new Map<number, Pending>();
      worker.on('message', (m: { id: number; found?: Detection[]; error?: string }) => {
        const call = pending.get(m.id);
        pending.delete(m.id);
        if (m.found) call?.resolve(m.found);
        else call?.reject(new Error(`detector worker: ${m.error ?? 'no result'}`));
      });
      const failAll = (error: Error) => {
        for (const call of pending.values()) call.reject(error);
        pending.clear();
      };
      worker.on('error', failAll);
      worker.on('exit', (code) => {
        failAll(new Error(`detector worker exited (${code})`));
      });
      this.workers.push({ worker, pending });
    }
  }

  /** Detects objects in packed RGB pixels; the pixel buffer is moved to the worker, not copied. */
  detect(data: Uint8Array, width: number, height: number, options: DetectOptions): Promise<Detection[]> {
    const target = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<Detection[]>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
      target.worker.postMessage({ id, data: own, width, height, options }, [own.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
