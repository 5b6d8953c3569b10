import type { Queryable } from '../db/database.js';
import { contentRow, liveRows } from './versions.repo.js';

/*
 * The SQL that freezes the projection's rows into a version (README.md "Frozen rows"), for all of a
 * version's documents or a part of them. A helper's part (freeze.ts) commits before the version
 * does, after a mark in `version_freeze_parts` (committed before any part starts): if the version then fails (a crash), its rows are
 * valid from a version that does not exist and the rows it closed end at one, and the next creation
 * deletes the former and reopens the latter before it starts (`dropAbandonedParts`). A mark whose
 * version exists is simply forgotten.
 */

/** The projection's columns a version freezes, by the same names in both tables. */
const FROZEN_COLUMNS = `document, image_id, unique_identifier, annotation_type_id, vector, frame, deleted, description,
  meta_data, user_id, time, last_editor_id, last_edit_time, generated, score`;
const prefixed = (alias: string, columns: string) =>
  columns
    .split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');

/** The documents named by array parameter `param`, as a set to test membership in. */
const documents = (param: string) => `(SELECT unnest(${param}::text[]))`;

/** All SQL of freezing rows into a version. */
export class FreezeRepo {
  constructor(private readonly db: Queryable) {}

  /** Whether any of these documents has open frozen rows (then the version pairs rows). */
  async anyOpen(names: readonly string[]): Promise<boolean> {
    const open = await this.db.query(
      `SELECT 1 FROM version_annotations WHERE valid_to IS NULL AND document = ANY($1::text[]) LIMIT 1`,
      [names],
    );
    return open.length > 0;
  }

  /** A first version's rows of these documents: every live row, no comparison needed. */
  async insertAll(versionId: number, names: readonly string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO version_annotations (${FROZEN_COLUMNS}, verifications, verified_count, valid_from)
       SELECT ${prefixed('a', FROZEN_COLUMNS)}, a.verifications, a.verified_count, $1
       FROM (${liveRows(`a.document IN ${documents('$2')}`)}) a`,
      [versionId, names],
    );
  }

  /**
   * A later version: open rows whose annotation changed (or vanished) are closed at this version, and
   * changed or new annotations get a row valid from it. One join pairs the live rows with the open
   * frozen ones and compares their columns; only the (few) differing pairs are kept, in a temporary
   * table, for the two writes.
   */
  async freezeChanges(versionId: number, names: readonly string[]): Promise<void> {
    // The pairing is a hash join of a million rows on each side: with the default work_mem it
    // spills to disk in batches (4x the time). Scoped to this transaction; creations run one at a time.
    await this.db.query(`SET LOCAL work_mem = '256MB'`);
    await this.db.query(
      `CREATE TEMP TABLE freeze_changed ON COMMIT DROP AS
       SELECT o.id AS frozen_id, l.id AS live_id, l.verifications, l.verified_count
       FROM (${liveRows(`a.document IN ${documents('$1')}`)}) l
       FULL JOIN (SELECT * FROM version_annotations
                  WHERE valid_to IS NULL AND document IN ${documents('$1')}) o
         ON o.document = l.document AND o.unique_identifier = l.unique_identifier
       WHERE o.id IS NULL OR l.id IS NULL OR ${contentRow('l')} IS DISTINCT FROM ${contentRow('o')}`,
      [names],
    );
    await this.db.query(
      `UPDATE version_annotations SET valid_to = $1
       WHERE id IN (SELECT frozen_id FROM freeze_changed WHERE frozen_id IS NOT NULL)`,
      [versionId],
    );
    await this.db.query(
      `INSERT INTO version_annotations (${FROZEN_COLUMNS}, verifications, verified_count, valid_from)
       SELECT ${prefixed('a', FROZEN_COLUMNS)}, c.verifications, c.verified_count, $1
       FROM freeze_changed c JOIN annotations a ON a.id = c.live_id`,
      [versionId],
    );
  }

  /** Marks that parts of `versionId` may be committed ahead of it (committed before they start). */
  async markPart(versionId: number): Promise<void> {
    await this.db.query('INSERT INTO version_freeze_parts (version_id) VALUES ($1) ON CONFLICT DO NOTHING', [
      versionId,
    ]);
  }

  /**
   * Undoes the parts whose version never committed (deletes their rows, reopens the rows they
   * closed), and forgets the marks. Run in its own short transaction by a creation holding the
   * creation lock, so no other creation is under way: a marked version that does not exist failed.
   * The table lock waits for a helper still writing the part of a version that already failed (its
   * connection outlived the creation's).
   */
  async dropAbandonedParts(): Promise<void> {
    await this.db.query('LOCK TABLE version_freeze_parts IN EXCLUSIVE MODE');
    const marks = await this.db.query<{ version_id: number; committed: boolean }>(
      `SELECT p.version_id, EXISTS (SELECT 1 FROM set_versions v WHERE v.id = p.version_id) AS committed
       FROM version_freeze_parts p`,
    );
    if (marks.length === 0) return;
    const abandoned = marks.filter((m) => !m.committed).map((m) => m.version_id);
    if (abandoned.length > 0) {
      await this.db.query('DELETE FROM version_annotations WHERE valid_from = ANY($1::int[])', [abandoned]);
      await this.db.query('UPDATE version_annotations SET valid_to = NULL WHERE valid_to = ANY($1::int[])', [
        abandoned,
      ]);
    }
    await this.db.query('DELETE FROM version_freeze_parts');
  }
}
