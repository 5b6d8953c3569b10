import type { Database, Queryable } from '../db/database.js';
import { FreezeRepo } from './freeze.repo.js';

/*
 * Freezing a version's rows (README.md "Frozen rows"). A first version inserts every row (1,000,000
 * in the benchmark); a later one pairs every live row with the open frozen rows in one hash join.
 * Either is one core's work in one statement, so the documents are split in two: a helper
 * connection sharing the creation's snapshot writes one half in its own transaction while the
 * creation's transaction writes the other (the pairing is per document, so halves are independent).
 */

/** Undoes the parts of earlier creations that failed after a helper committed its part. */
export async function dropAbandonedParts(db: Database): Promise<void> {
  await db.transaction((tx) => new FreezeRepo(tx).dropAbandonedParts());
}

/**
 * Freezes the rows of `names` into version `versionId` within `tx`, whose snapshot is exported as
 * `snapshot`. Returns once every part is written; the helper's part is committed by then.
 */
export async function freezeRows(
  db: Database,
  tx: Queryable,
  snapshot: string,
  versionId: number,
  names: readonly string[],
): Promise<void> {
  const repo = new FreezeRepo(tx);
  const later = await repo.anyOpen(names);
  const write = (part: FreezeRepo, documents: readonly string[]) =>
    later ? part.freezeChanges(versionId, documents) : part.insertAll(versionId, documents);
  if (names.length < 2) return write(repo, names);
  // Every other document, so both halves get a share of the big ones and the small ones.
  const mine = names.filter((_, i) => i % 2 === 0);
  const helpers = names.filter((_, i) => i % 2 === 1);
  // Both settle before this returns or throws: a failed creation rolls back only once its helper
  // has finished, so the next creation finds a helper's part committed (and drops it), never in flight.
  const results = await Promise.allSettled([
    write(repo, mine),
    writePart(db, snapshot, versionId, (part) => write(part, helpers)),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** A helper's part: its own transaction in the creation's snapshot, marked, committed. */
async function writePart(
  db: Database,
  snapshot: string,
  versionId: number,
  write: (part: FreezeRepo) => Promise<void>,
): Promise<void> {
  await db.withConnection(async (conn) => {
    await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await conn.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/[^0-9A-F-]/gi, '')}'`);
      const repo = new FreezeRepo(conn);
      await repo.markPart(versionId);
      await write(repo);
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
