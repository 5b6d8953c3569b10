import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import * as Y from 'yjs';
import type { Queryable } from '../db/database.js';
import { buildDocument } from './capture.js';
import { VersionsRepo } from './versions.repo.js';

const decompress = promisify(gunzip);

/** A version's annotation documents as they were: names, images and their Yjs states. */
export class VersionDocuments {
  constructor(private readonly db: Queryable) {}

  /** The version's documents of one image (or all), each as one encoded Yjs state (V1 update). */
  async states(
    versionId: number,
    imageId?: number,
  ): Promise<{ document: string; imageId: number; state: Uint8Array }[]> {
    const repo = new VersionsRepo(this.db);
    const documents = (await repo.documents(versionId)).filter(
      (d) => imageId === undefined || d.image_id === imageId,
    );
    const result = [];
    for (const d of documents) {
      const blobs = await repo.blobs(d.layers);
      const layers = await Promise.all(
        d.layers.map(async (hash) => {
          const data = blobs.get(hash.toString('hex'));
          if (!data) throw new Error(`version ${versionId}: layer ${hash.toString('hex')} is missing`);
          return decompress(data);
        }),
      );
      const state = layers.length === 1 ? (layers[0] as Uint8Array) : Y.mergeUpdates(layers);
      result.push({ document: d.document, imageId: d.image_id, state });
    }
    return result;
  }

  /** A version's documents built into Y.Docs (read-only use: restore, verification counts). */
  async docs(
    versionId: number,
    imageId?: number,
  ): Promise<{ document: string; imageId: number; doc: Y.Doc }[]> {
    const states = await this.states(versionId, imageId);
    return states.map((s) => ({ document: s.document, imageId: s.imageId, doc: buildDocument([s.state]) }));
  }
}
