import type { AnnotationTypes } from '@tessera/shared';
import type { Database, Queryable } from '../db/database.js';
import { byteBatches, valuesList } from '../db/multi-row.js';

/** The image behind a document and the asking user's place in its team. */
export interface ImageAccessRow {
  image_id: number;
  image_set_id: number;
  team_id: number;
  public: boolean;
  /** 0 collaborative, 1 competitive (blind), 2 second opinion. */
  collaboration_type: number;
  /** null: not a member of the set's team. */
  is_admin: boolean | null;
  /** The image's region size (G1), or null when it keeps one document. */
  annotation_region_size: number | null;
}

/** One update to append to a document's log. */
export interface NewUpdate {
  readonly document: string;
  readonly update: Uint8Array;
  readonly userId: number | null;
}

/**
 * States are read in slices of this size, each as base64: `pg` receives one large value (27 MB for
 * 100,000 annotations) two to three times slower than the same bytes in 1 MB slices, and decodes
 * base64 faster than the hex text it reads `bytea` as (measured: 410-760 ms whole as hex, 150-230 ms
 * in base64 slices). Migration 0011 stores states uncompressed so that a slice reads only its part.
 */
const SLICE_BYTES = 1 << 20;
/** One row per slice of state `s.state`: where it starts (1-based, as `substring` counts). */
const SLICE_STARTS = `generate_series(1, greatest(length(s.state), 1), ${SLICE_BYTES}) AS slice_start`;
/** The slice of `s.state` that starts at `slice_start`, as base64. */
const STATE_SLICE = `encode(substring(s.state FROM slice_start FOR ${SLICE_BYTES}), 'base64')`;

/** A state's base64 slices, in order, as one buffer. */
function joinSlices(rows: readonly { slice: string }[]): Buffer {
  const buffers = rows.map((r) => Buffer.from(r.slice, 'base64'));
  const [only] = buffers;
  return buffers.length === 1 && only ? only : Buffer.concat(buffers);
}

/** A document's compacted state, read in slices (see SLICE_BYTES); undefined if it has none. */
export async function readStoredState(db: Queryable, document: string): Promise<StoredState | undefined> {
  const rows = await db.query<{ slice: string; last_update_id: number }>(
    `SELECT ${STATE_SLICE} AS slice, s.last_update_id
     FROM annotation_document_states s, ${SLICE_STARTS}
     WHERE s.document = $1 ORDER BY slice_start`,
    [document],
  );
  const first = rows[0];
  if (first === undefined) return undefined;
  return { state: joinSlices(rows), last_update_id: first.last_update_id };
}

export interface StoredState {
  state: Buffer;
  last_update_id: number;
}

export interface LoggedUpdate {
  id: number;
  update: Buffer;
}

/** All SQL of the live annotation documents: access lookups, the update log, compacted states. */
export class DocumentsRepo {
  constructor(private readonly db: Database) {}

  /** The image, its set and the user's membership in the set's team; undefined if no such image. */
  async imageAccess(imageId: number, userId: number): Promise<ImageAccessRow | undefined> {
    const rows = await this.db.query<ImageAccessRow>(
      `SELECT i.id AS image_id, s.id AS image_set_id, s.team_id, s.public, s.collaboration_type, m.is_admin,
              i.annotation_region_size
       FROM images i
       JOIN image_sets s ON s.id = i.image_set_id
       LEFT JOIN team_memberships m ON m.team_id = s.team_id AND m.user_id = $2
       WHERE i.id = $1`,
      [imageId, userId],
    );
    return rows[0];
  }

  /** Whether a user is still active, and still a superuser (access is checked again while connected). */
  async account(userId: number): Promise<{ is_active: boolean; is_superuser: boolean } | undefined> {
    const rows = await this.db.query<{ is_active: boolean; is_superuser: boolean }>(
      'SELECT is_active, is_superuser FROM users WHERE id = $1',
      [userId],
    );
    return rows[0];
  }

  /** The active annotation types of the products attached to an image set. */
  async allowedTypes(imageSetId: number): Promise<AnnotationTypes> {
    const rows = await this.db.query<{ id: number; vector_type: number; node_count: number }>(
      `SELECT DISTINCT t.id, t.vector_type, t.node_count
       FROM annotation_types t
       JOIN product_image_sets p ON p.product_id = t.product_id
       WHERE p.image_set_id = $1 AND t.active`,
      [imageSetId],
    );
    return new Map(rows.map((r) => [r.id, { vectorType: r.vector_type, nodeCount: r.node_count }]));
  }

  /**
   * Appends updates, all or none; returns their ids in the order given. Each update is its own
   * parameter, sent as binary (multi-row.ts): as elements of a `bytea[]` they went as hex text, which
   * cost ~30 ms per MB (a large REST write or import) against ~4 ms. Several statements, in one
   * transaction, only when the updates pass BATCH_BYTES together.
   */
  async appendUpdates(updates: readonly NewUpdate[]): Promise<number[]> {
    if (updates.length === 0) return [];
    const batches = [...byteBatches(updates, (u) => u.update.byteLength)];
    const append = async (db: Queryable) => {
      const ids: number[] = [];
      for (const batch of batches) {
        // The ids follow `ord`, the order given: the log's order is the order of application.
        const rows = await db.query<{ id: number }>(
          `INSERT INTO annotation_document_updates (document, update, user_id)
           SELECT u.document, u.update, u.user_id
           FROM (VALUES ${valuesList(batch.length, ['text', 'bytea', 'integer', 'integer'])})
             AS u (document, update, user_id, ord)
           ORDER BY u.ord
           RETURNING id`,
          batch.flatMap((u, i) => [u.document, Buffer.from(u.update), u.userId, i]),
        );
        ids.push(...rows.map((r) => r.id));
      }
      return ids;
    };
    return batches.length === 1 ? append(this.db) : this.db.transaction(append);
  }

  /** Who claimed each Yjs client id of a document (rule V4). */
  async clientOwners(document: string): Promise<Map<number, number>> {
    const rows = await this.db.query<{ client_id: number; user_id: number }>(
      'SELECT client_id, user_id FROM annotation_document_clients WHERE document = $1',
      [document],
    );
    return new Map(rows.map((r) => [r.client_id, r.user_id]));
  }

  /**
   * Claims client ids of a document for a user where nobody has; answers each id's owner afterwards
   * (the user, or whoever claimed it first).
   */
  async claimClients(
    document: string,
    clientIds: readonly number[],
    userId: number,
  ): Promise<Map<number, number>> {
    // The outer SELECT does not see the CTE's inserts (one snapshot): it finds the earlier claims.
    const rows = await this.db.query<{ client_id: number; user_id: number }>(
      `WITH claimed AS (
         INSERT INTO annotation_document_clients (document, client_id, user_id)
         SELECT $1, unnest($2::bigint[]), $3
         ON CONFLICT (document, client_id) DO NOTHING
         RETURNING client_id, user_id)
       SELECT client_id, user_id FROM claimed
       UNION ALL
       SELECT client_id, user_id FROM annotation_document_clients
       WHERE document = $1 AND client_id = ANY($2::bigint[])`,
      [document, clientIds, userId],
    );
    return new Map(rows.map((r) => [r.client_id, r.user_id]));
  }

  /** Every document that has a compacted state or logged updates. */
  async documentNames(): Promise<string[]> {
    const rows = await this.db.query<{ document: string }>(
      `SELECT document FROM annotation_document_states
       UNION SELECT DISTINCT document FROM annotation_document_updates ORDER BY 1`,
    );
    return rows.map((r) => r.document);
  }

  async state(document: string): Promise<StoredState | undefined> {
    return readStoredState(this.db, document);
  }

  /** The log rows of a document after `afterId`, oldest first. */
  async updatesAfter(document: string, afterId: number): Promise<LoggedUpdate[]> {
    return this.db.query<LoggedUpdate>(
      'SELECT id, update FROM annotation_document_updates WHERE document = $1 AND id > $2 ORDER BY id',
      [document, afterId],
    );
  }

  /**
   * Everything stored of a document, in the order to apply it: the compacted state (if any), then the
   * log rows after it. One statement, so a compaction committing meanwhile cannot make it skip rows.
   */
  async storedUpdates(document: string): Promise<Buffer[]> {
    // The state's slices come first (part 0, in order), then the log rows (part 1, by id).
    const rows = await this.db.query<{ part: number; bytes: string }>(
      `WITH s AS (SELECT state, last_update_id FROM annotation_document_states WHERE document = $1)
       SELECT part, bytes FROM (
         SELECT 0 AS part, slice_start::bigint AS id, ${STATE_SLICE} AS bytes
         FROM s, ${SLICE_STARTS}
         UNION ALL
         SELECT 1, u.id, encode(u.update, 'base64') FROM annotation_document_updates u
         WHERE u.document = $1 AND u.id > COALESCE((SELECT last_update_id FROM s), 0)
       ) stored
       ORDER BY part, id`,
      [document],
    );
    const slices = rows.filter((r) => r.part === 0).map((r) => ({ slice: r.bytes }));
    const log = rows.filter((r) => r.part === 1).map((r) => Buffer.from(r.bytes, 'base64'));
    return slices.length === 0 ? log : [joinSlices(slices), ...log];
  }

  /**
   * Which stored state the document has (its `last_update_id`, null without one) and whether log rows
   * follow it: one statement, so a compaction committing meanwhile cannot mix two answers.
   */
  async storedVersion(document: string): Promise<{ stateId: number | null; newer: boolean }> {
    const rows = await this.db.query<{ state_id: number | null; newer: boolean }>(
      `SELECT s.last_update_id AS state_id,
              EXISTS (SELECT 1 FROM annotation_document_updates u
                      WHERE u.document = $1 AND u.id > COALESCE(s.last_update_id, 0)) AS newer
       FROM (SELECT 1) one
       LEFT JOIN annotation_document_states s ON s.document = $1`,
      [document],
    );
    return { stateId: rows[0]?.state_id ?? null, newer: rows[0]?.newer ?? false };
  }

  /** Stores a compacted state covering the log up to `lastUpdateId` and deletes those rows, atomically. */
  async saveCompaction(document: string, state: Uint8Array, lastUpdateId: number): Promise<void> {
    await this.db.transaction((tx) => writeCompaction(tx, document, state, lastUpdateId));
  }

  /**
   * A compaction when several servers share the document (README rule P4s): holds the document's
   * advisory lock for the transaction (another server compacting it now: answers false at once), reads
   * what is stored up to `upTo`, lets `encode` bring the caller's copy up to that and encode it, then
   * stores the state and deletes the rows it covers; answers the stored state's `last_update_id`
   * afterwards. `storedState` is the state row when its
   * `last_update_id` differs from `knownStateId` (another server compacted since), else undefined.
   */
  async compactLocked(
    document: string,
    upTo: number,
    knownStateId: number,
    encode: (stored: { storedState: Buffer | undefined; rows: LoggedUpdate[] }) => Uint8Array,
  ): Promise<number | undefined> {
    return this.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtext('tessera.compaction'), hashtext($1)) AS locked`,
        [document],
      );
      if (lock?.locked !== true) return undefined;
      const [row] = await tx.query<{ last_update_id: number }>(
        'SELECT last_update_id FROM annotation_document_states WHERE document = $1',
        [document],
      );
      const storedId = row?.last_update_id ?? 0;
      if (storedId >= upTo) return storedId;
      const storedState =
        storedId === knownStateId ? undefined : (await readStoredState(tx, document))?.state;
      const rows = await tx.query<LoggedUpdate>(
        'SELECT id, update FROM annotation_document_updates WHERE document = $1 AND id > $2 AND id <= $3 ORDER BY id',
        [document, storedId, upTo],
      );
      await writeCompaction(tx, document, encode({ storedState, rows }), upTo);
      return upTo;
    });
  }
}

async function writeCompaction(
  tx: Queryable,
  document: string,
  state: Uint8Array,
  lastUpdateId: number,
): Promise<void> {
  const saved = await tx.query(
    `INSERT INTO annotation_document_states (document, state, last_update_id, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (document) DO UPDATE
       SET state = excluded.state, last_update_id = excluded.last_update_id, updated_at = now()
       WHERE annotation_document_states.last_update_id <= excluded.last_update_id
     RETURNING document`,
    [document, Buffer.from(state), lastUpdateId],
  );
  if (saved.length === 0) return;
  await tx.query('DELETE FROM annotation_document_updates WHERE document = $1 AND id <= $2', [
    document,
    lastUpdateId,
  ]);
}
