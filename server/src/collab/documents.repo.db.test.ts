import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.js';
import { BATCH_ROWS } from '../db/multi-row.js';
import { DocumentsRepo } from './documents.repo.js';

const t = useTestDatabase();

describe('stored documents', () => {
  it('read a state larger than one slice whole, in order, with the log rows after it', async () => {
    const repo = new DocumentsRepo(t.db);
    const name = 'image.1';
    const [first, second] = await repo.appendUpdates([
      { document: name, update: Buffer.from([1, 2]), userId: null },
      { document: name, update: Buffer.from([3]), userId: null },
    ]);
    // Random bytes (nothing to compress) over several 1 MB slices and a partial last one.
    const state = randomBytes(3 * 1024 * 1024 + 12_345);
    await repo.saveCompaction(name, state, first ?? 0);
    const stored = await repo.state(name);
    expect(stored?.last_update_id).toBe(first);
    expect(stored?.state.equals(state)).toBe(true);
    const updates = await repo.storedUpdates(name);
    expect(updates).toHaveLength(2);
    expect(updates[0]?.equals(state)).toBe(true);
    expect(updates[1]).toEqual(Buffer.from([3]));
    expect(second).toBeGreaterThan(first ?? 0);
  });

  it('append updates over several statements in the order given, all or none', async () => {
    const repo = new DocumentsRepo(t.db);
    // More rows than one statement takes (BATCH_ROWS): three statements in one transaction.
    const many = Array.from({ length: BATCH_ROWS * 2 + 1 }, (_, i) => ({
      document: 'image.7',
      update: Buffer.from(`update ${i}`),
      userId: null,
    }));
    const ids = await repo.appendUpdates(many);
    expect(ids).toHaveLength(many.length);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? Infinity))).toBe(true);
    expect((await repo.storedUpdates('image.7')).map((u) => u.toString())).toEqual(
      many.map((u) => u.update.toString()),
    );

    // A row refused in the last statement leaves none of the earlier ones.
    const refused = many.map((u, i) => ({
      ...u,
      document: 'image.8',
      userId: i === many.length - 1 ? -1 : null,
    }));
    await expect(repo.appendUpdates(refused)).rejects.toThrow();
    expect(await repo.storedUpdates('image.8')).toEqual([]);
  });

  it('read an empty state, a state of exactly one slice, and a document with only a log', async () => {
    const repo = new DocumentsRepo(t.db);
    await repo.saveCompaction('image.2', new Uint8Array(0), 0);
    expect((await repo.state('image.2'))?.state).toEqual(Buffer.alloc(0));
    expect(await repo.storedUpdates('image.2')).toEqual([Buffer.alloc(0)]);
    const exact = randomBytes(1024 * 1024);
    await repo.saveCompaction('image.3', exact, 0);
    expect((await repo.state('image.3'))?.state.equals(exact)).toBe(true);
    await repo.appendUpdates([{ document: 'image.4', update: Buffer.from([9]), userId: null }]);
    expect(await repo.state('image.4')).toBeUndefined();
    expect(await repo.storedUpdates('image.4')).toEqual([Buffer.from([9])]);
    expect(await repo.storedUpdates('image.5')).toEqual([]);
  });
});
