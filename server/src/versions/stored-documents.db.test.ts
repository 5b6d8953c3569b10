import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { useTestServer } from '../../../test/support/server.js';
import { VersionsRepo } from './versions.repo.js';

const server = useTestServer();

/** Every byte value, long enough that PostgreSQL's base64 breaks it into lines. */
const awkward = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));

async function storeDocument(document: string, logRows: readonly Buffer[]): Promise<number[]> {
  await server.db.query(
    'INSERT INTO annotation_document_states (document, state, last_update_id) VALUES ($1, $2, 0)',
    [document, awkward],
  );
  const ids: number[] = [];
  for (const update of logRows) {
    const rows = await server.db.query<{ id: number }>(
      'INSERT INTO annotation_document_updates (document, update) VALUES ($1, $2) RETURNING id',
      [document, update],
    );
    ids.push(Number(rows[0]?.id));
  }
  return ids;
}

describe('reading stored documents for a capture', () => {
  it('reads the state and log bytes exactly, the state only when no earlier capture covers it', async () => {
    const document = `image.${Math.floor(Math.random() * 1e9)}.${randomUUID().slice(0, 4)}`;
    const log = [Buffer.from([0, 1, 2, 255]), awkward.subarray(100, 900)];
    const ids = await storeDocument(document, log);
    const repo = new VersionsRepo(server.db);
    const last = ids.at(-1) ?? 0;
    // An earlier capture read up to the last row (or one before it): the state is still the same.
    for (const lastLogId of [last, ids[0] ?? 0]) {
      const skipped = await repo.stored(document, { stateLastId: 0, lastLogId });
      expect(skipped.state).toEqual({ state: undefined, last_update_id: 0 });
      expect(skipped.log.map((r) => [r.id, Buffer.from(r.update)])).toEqual(ids.map((id, i) => [id, log[i]]));
    }
    // No capture, a capture of another compacted state, or one that read log rows now gone.
    for (const covered of [
      undefined,
      { stateLastId: 5, lastLogId: 5 },
      { stateLastId: 0, lastLogId: last + 1 },
    ]) {
      const read = await repo.stored(document, covered);
      expect(Buffer.from(read.state?.state ?? new Uint8Array())).toEqual(awkward);
      expect(read.log).toHaveLength(2);
    }
  });

  it('a document with no compacted state answers its log only', async () => {
    const document = `image.${Math.floor(Math.random() * 1e9)}`;
    const rows = await server.db.query<{ id: number }>(
      'INSERT INTO annotation_document_updates (document, update) VALUES ($1, $2) RETURNING id',
      [document, awkward],
    );
    const stored = await new VersionsRepo(server.db).stored(document, undefined);
    expect(stored.state).toBeUndefined();
    expect(stored.log.map((r) => [r.id, Buffer.from(r.update)])).toEqual([[Number(rows[0]?.id), awkward]]);
  });
});
