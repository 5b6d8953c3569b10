/*
 * Capturing a version's documents (README.md "Storage"): read in the creation's snapshot, decoded on
 * worker threads, compressed, and their new layers written through the creation's transaction as
 * they come.
 */
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Queryable } from '../db/database.js';
import { captureDocument, coverageOf, type DocumentCapture, type StoredDocument } from './capture.js';
import { VersionsRepo } from './versions.repo.js';
import { YjsWorkers, type YjsOps } from './yjs-workers.js';

const compress = promisify(gzip);

/** A new layer, compressed, to be stored unless stored already. */
interface Blob {
  hash: Buffer;
  data: Buffer;
  rawBytes: number;
}

export interface CapturedDocument {
  readonly document: string;
  readonly imageId: number;
  readonly capture: DocumentCapture;
}

/** Bytes of layers gathered before they are written in one go. */
const LAYER_WRITE_BYTES = 16 * 2 ** 20;

/**
 * Writes captured layers through the creation's transaction as they come, a few MB at a time, one
 * write after another; `done` waits for the last and throws the first failure.
 */
export class LayerWrites {
  private pending: Blob[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  constructor(private readonly repo: VersionsRepo) {}

  add(blobs: readonly Blob[]): void {
    for (const blob of blobs) {
      this.pending.push(blob);
      this.pendingBytes += blob.data.byteLength;
    }
    if (this.pendingBytes >= LAYER_WRITE_BYTES) this.write();
  }

  async done(): Promise<void> {
    this.write();
    await this.writing;
    if (this.failure) throw this.failure.error;
  }

  private write(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        await this.repo.insertBlobs(batch);
      } catch (error) {
        this.failure = { error };
      }
    });
  }
}

/**
 * Captures the documents as the exported snapshot shows them: unchanged ones reuse their previous
 * layers, changed ones add a delta (README.md). Documents are read one after another on this
 * connection, one read ahead, while the ones read are decoded on worker threads (one per core) and
 * compressed on libuv's threads, a few at a time so memory stays bounded.
 */
export async function captureDocuments(
  conn: Queryable,
  snapshot: string,
  documents: readonly { document: string; image_id: number }[],
  onLayers: (blobs: readonly Blob[]) => void,
): Promise<CapturedDocument[]> {
  if (documents.length === 0) return [];
  await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const workers = new YjsWorkers(Math.min(availableParallelism(), documents.length, MAX_WORKERS));
  try {
    await conn.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/[^0-9A-F-]/gi, '')}'`);
    const repo = new VersionsRepo(conn);
    const priors = await repo.priorCaptures(documents.map((d) => d.document));
    const read = (index: number) => {
      const name = documents[index]?.document ?? '';
      const reading = repo.stored(name, coverageOf(priors.get(name)));
      // Awaited in turn below, or left when a capture failed: never an unhandled rejection.
      reading.catch(() => undefined);
      return reading;
    };
    const captured: CapturedDocument[] = [];
    const running = new Set<Promise<void>>();
    // Tasks never reject (the first failure is kept and thrown below), so none goes unhandled while
    // this loop waits on the database.
    let failure: { error: unknown } | undefined;
    // One read ahead: PostgreSQL encodes the next document's bytes while this process decodes and
    // cuts the current one (the cut runs on this thread and would otherwise leave it idle).
    let next = read(0);
    for (const [index, { document, image_id }] of documents.entries()) {
      if (failure) break;
      const stored = await next;
      if (index + 1 < documents.length) next = read(index + 1);
      const prior = priors.get(document);
      const task = captureOne(document, image_id, stored, prior, workers).then(
        ({ blobs, ...c }) => {
          captured[index] = c;
          onLayers(blobs);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      running.add(task);
      void task.then(() => running.delete(task));
      if (running.size > workers.size) await Promise.race(running);
    }
    await Promise.all(running);
    if (failure) throw failure.error;
    return captured;
  } finally {
    await workers.close();
    await conn.query('ROLLBACK');
  }
}

/** At most this many worker threads per version being made. */
const MAX_WORKERS = 4;

async function captureOne(
  document: string,
  imageId: number,
  stored: StoredDocument,
  prior: DocumentCapture | undefined,
  ops: YjsOps,
): Promise<CapturedDocument & { blobs: Blob[] }> {
  const capture = await captureDocument(stored, prior, ops);
  const blobs = await Promise.all(
    capture.added.map(async (layer) => ({
      hash: layer.hash,
      data: await compress(layer.update, { level: 1 }),
      rawBytes: layer.update.byteLength,
    })),
  );
  return { document, imageId, capture: { ...capture, added: [] } as DocumentCapture, blobs };
}
