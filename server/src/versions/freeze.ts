import type { Database, Queryable } from '../db/database.js';
import { FreezeRepo } from './freeze.repo.js';

/*
 * Freezing a version's rows (README.md "Frozen rows"). A first version inserts every row (1,000,000
 * in the benchmark); a later one pairs every live row with the open frozen rows in one hash join.
 * Either is one core's work in one statement, so the documents are split in two, each half written
 * by a helper connection sharing the creation's snapshot, in its own transaction (the pairing is
 * per document, so halves are independent).
 */

/** Undoes the parts of earlier creations that failed after a helper committed its part. */
export async function dropAbandonedParts(db: Database): Promise<void> {
  await db.transaction((tx) => new FreezeRepo(tx).dropAbandonedParts());
}

/**
 * Freezes the rows of `names` into version `versionId`, in the snapshot `snapshot` that `tx` (the
 * creation's transaction) exported. Both halves are written by helper connections, so that `tx`
 * stays free for the captures' layers meanwhile. The mark that a part may exist is committed before
 * either starts (a mark without its version only makes the next creation look for rows to undo).
 * Returns once both parts are committed.
 */
export async function freezeRows(
  db: Database,
  tx: Queryable,
  snapshot: string,
  versionId: number,
  names: readonly string[],
): Promise<void> {
  if (names.length === 0) return;
  const later = await new FreezeRepo(tx).anyOpen(names);
  await new FreezeRepo(db).markPart(versionId);
  const write = (part: FreezeRepo, documents: readonly string[]) =>
    later ? part.freezeChanges(versionId, documents) : part.insertAll(versionId, documents);
  // Every other document, so both halves get a share of the big ones and the small ones.
  const halves = [names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 2 === 1)].filter(
    (half) => half.length > 0,
  );
  // Both settle before this returns or throws: a failed creation rolls back only once its helpers
  // have finished, so the next creation finds a helper's part committed (and drops it), never in flight.
  const results = await Promise.allSettled(
    halves.map((half) => writePart(db, snapshot, (part) => write(part, half))),
  );
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** A helper's part: its own transaction in the creation's snapshot, committed. */
async function writePart(
  db: Database,
  snapshot: string,
  write: (part: FreezeRepo) => Promise<void>,
): Promise<void> {
  await db.withConnection(async (conn) => {
    await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await conn.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/[^0-9A-F-]/gi, '')}'`);
      await write(new FreezeRepo(conn));
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
