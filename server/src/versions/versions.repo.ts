import { readStoredState } from '../collab/documents.repo.js';
import { DOCUMENT_NAME, DOCUMENT_PART } from '../collab/document-names.js';
import type { Queryable } from '../db/database.js';
import { byteBatches, valuesList } from '../db/multi-row.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { listPage } from '../db/list-query.js';
import { versionVisible } from '../access/policy/visibility.js';
import type { ListViewer } from '../resources/users/users.repo.js';
import type { DocumentCapture, StoredDocument } from './capture.js';
import { insertedId } from '../db/inserted-id.js';

export const versionFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'v.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'v.name' },
  team: { type: 'int', lookups: ['exact'], column: 'v.team_id' },
  automatic: { type: 'bool', lookups: ['exact'], column: 'v.automatic' },
  imagesets: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM set_version_image_sets vs WHERE vs.version_id = v.id AND ${c('vs.image_set_id')})`,
  },
};

export interface VersionRow {
  id: number;
  name: string;
  description: string;
  team: number;
  author: number | null;
  automatic: boolean;
  time: string;
  imagesets: number[];
  images: number[];
}

/** An annotation as a version froze it (the fields a restore writes back). */
export interface FrozenRow {
  unique_identifier: string;
  annotation_type_id: number;
  vector: Record<string, number> | null;
  deleted: boolean;
  description: string;
  meta_data: unknown;
  generated: boolean;
  score: number | null;
}

/**
 * The content of an annotation row (live or frozen) as one row value, compared with IS DISTINCT FROM
 * to find what changed: cheaper than hashing every row's text, and exact.
 */
export const contentRow = (a: string) =>
  `row(${a}.annotation_type_id, ${a}.vector, ${a}.deleted, ${a}.description, ${a}.meta_data, ${a}.user_id,
    ${a}.time, ${a}.last_editor_id, ${a}.last_edit_time, ${a}.generated, ${a}.score, ${a}.verifications)`;

/**
 * The projection's annotations matching `where` (on alias a) with their verifications folded in, as
 * a version freezes them: `verifications` {"<user>": verified} and `verified_count`.
 */
export const liveRows = (where: string) =>
  `SELECT a.*, coalesce(vv.verifications, '{}'::jsonb) AS verifications, coalesce(vv.verified_count, 0) AS verified_count
   FROM annotations a
   LEFT JOIN (SELECT v.annotation_id, jsonb_object_agg(v.user_id::text, v.verified) AS verifications,
       (count(*) FILTER (WHERE v.verified))::int AS verified_count
     FROM annotation_verifications v JOIN annotations a ON a.id = v.annotation_id
     WHERE ${where} GROUP BY v.annotation_id) vv ON vv.annotation_id = a.id
   WHERE ${where}`;

/** Frozen rows of `version` (alias r; the version's documents as d). */
export const rowsOfVersion = (version: string) =>
  `version_annotations r JOIN set_version_documents d ON d.document = r.document AND d.version_id = ${version}
   WHERE r.valid_from <= ${version} AND (r.valid_to IS NULL OR r.valid_to > ${version})`;

/** All SQL of dataset versions: the versions, their images and documents, blobs and frozen rows. */
export class VersionsRepo {
  constructor(private readonly db: Queryable) {}

  /** Whether any of these image sets is blind (competitive): its versions are for team admins only. */
  async anyBlind(imageSets: readonly number[]): Promise<boolean> {
    const rows = await this.db.query<{ blind: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM image_sets WHERE id = ANY($1::int[]) AND collaboration_type = 1) AS blind',
      [imageSets],
    );
    return rows[0]?.blind ?? false;
  }

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(versionVisible(q, viewer, 'v'));
    q.addFilters(versionFilters, filters);
    return listPage<VersionRow>(this.db, {
      select: () => `v.id, v.name, v.description, v.team_id AS team, v.author_id AS author, v.automatic,
        v.created_at AS time,
        ARRAY(SELECT vs.image_set_id FROM set_version_image_sets vs WHERE vs.version_id = v.id ORDER BY 1) AS imagesets,
        ARRAY(SELECT vi.image_id FROM set_version_images vi WHERE vi.version_id = v.id ORDER BY 1) AS images`,
      from: 'set_versions v',
      conditions: q,
      orderBy: 'v.id',
      page,
    });
  }

  /**
   * Version ids follow creation order: creations (and deletions) run one at a time. A table lock, not
   * an advisory one: taken before any query, it makes a REPEATABLE READ transaction's snapshot start
   * after the lock, so a creation always sees the one before it.
   */
  async lockCreation(): Promise<void> {
    await this.db.query('LOCK TABLE set_versions IN EXCLUSIVE MODE');
  }

  /** The image sets with these ids and their teams (locked against deletion while versioned). */
  async imageSets(ids: readonly number[]): Promise<{ id: number; team_id: number }[]> {
    return this.db.query(
      'SELECT id, team_id FROM image_sets WHERE id = ANY($1::int[]) ORDER BY id FOR SHARE',
      [ids],
    );
  }

  async insert(v: {
    name: string;
    description: string;
    teamId: number;
    authorId: number | null;
    automatic: boolean;
    imageSets: readonly number[];
  }): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO set_versions (name, description, team_id, author_id, automatic) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [v.name, v.description, v.teamId, v.authorId, v.automatic],
    );
    const id = insertedId(rows);
    await this.db.query(
      `INSERT INTO set_version_image_sets (version_id, image_set_id, name)
       SELECT $1, s.id, s.name FROM image_sets s WHERE s.id = ANY($2::int[])`,
      [id, v.imageSets],
    );
    await this.db.query(
      `INSERT INTO set_version_images (version_id, image_id, image_set_id, name, width, height)
       SELECT $1, i.id, i.image_set_id, i.name, i.width, i.height FROM images i WHERE i.image_set_id = ANY($2::int[])`,
      [id, v.imageSets],
    );
    return id;
  }

  async hasArtifacts(id: number): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM set_version_artifacts WHERE version_id = $1 LIMIT 1', [
      id,
    ]);
    return rows.length > 0;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM set_versions WHERE id = $1', [id]);
  }

  /**
   * The annotation documents of the version's images that have any stored state: whole documents,
   * readers' copies and, for images with regions, their index and region documents (G5), not the
   * whole documents they retired (G6: kept for the versions captured before, whose annotations the
   * parts hold now: captured both, each annotation would be frozen twice).
   */
  async documentsOf(versionId: number): Promise<{ document: string; image_id: number }[]> {
    return this.db.query(
      `SELECT n.document, vi.image_id
       FROM (SELECT document FROM annotation_document_states
             UNION SELECT DISTINCT document FROM annotation_document_updates) n
       JOIN set_version_images vi
         ON vi.version_id = $1 AND vi.image_id = split_part(n.document, '.', 2)::int
       JOIN images i ON i.id = vi.image_id
       WHERE n.document ~ '${DOCUMENT_NAME}'
         AND (i.annotation_region_size IS NULL OR n.document ~ '${DOCUMENT_PART}')
       ORDER BY n.document`,
      [versionId],
    );
  }

  /** The transaction's snapshot, for a second connection to read the same moment. */
  async exportSnapshot(): Promise<string> {
    const rows = await this.db.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    return rows[0]?.id ?? '';
  }

  /**
   * A live document as PostgreSQL stores it: compacted state and later log rows, in one query (so a
   * caller can have the next document's read under way while it works on this one). The state's
   * bytes are left out when `covered` (the log ids an earlier capture read up to) still holds them:
   * the same compacted state, and no log row it read gone (`coversState` in capture.ts). Bytes
   * travel as base64: `pg` reads `bytea` as hex text, twice the bytes, and decoding that cost 2.0 s
   * of this process's CPU per 20 x 9.6 MB states against 0.85 s for base64 (README.md). The state,
   * when needed, is read by a second statement in the same snapshot, in slices (the live documents'
   * own read, collab/documents.repo.ts: a whole large value reaches `pg` far slower).
   */
  async stored(
    document: string,
    covered: { stateLastId: number; lastLogId: number } | undefined,
  ): Promise<StoredDocument> {
    const rows = await this.db.query<{
      last_update_id: number | null;
      state_needed: boolean | null;
      /** bigint[]: `pg` reads its elements as text (only single bigints are parsed, db/database.ts). */
      ids: string[];
      updates: string[];
    }>(
      `SELECT s.last_update_id, l.ids, l.updates,
         NOT (s.last_update_id = $2 AND $3 <= coalesce(l.last_id, s.last_update_id)) AS state_needed
       FROM (SELECT $1::text AS document) d
       LEFT JOIN annotation_document_states s ON s.document = d.document
       CROSS JOIN LATERAL (
         SELECT coalesce(array_agg(u.id ORDER BY u.id), '{}') AS ids,
           coalesce(array_agg(encode(u.update, 'base64') ORDER BY u.id), '{}') AS updates, max(u.id) AS last_id
         FROM annotation_document_updates u
         WHERE u.document = d.document AND u.id > coalesce(s.last_update_id, 0)) l`,
      [document, covered?.stateLastId ?? -1, covered?.lastLogId ?? 0],
    );
    const row = rows[0];
    const log = (row?.ids ?? []).map((id, i) => ({
      id: Number(id),
      update: fromBase64(row?.updates[i] ?? ''),
    }));
    if (row?.last_update_id == null) return { state: undefined, log };
    const state =
      row.state_needed === true ? await this.sameSnapshotState(document, row.last_update_id) : undefined;
    return { state: { state, last_update_id: row.last_update_id }, log };
  }

  /** A document's compacted state, read in slices; it must be the one stored up to `lastUpdateId`. */
  private async sameSnapshotState(document: string, lastUpdateId: number): Promise<Buffer> {
    const stored = await readStoredState(this.db, document);
    if (stored?.last_update_id !== lastUpdateId) {
      throw new Error(`capture: the state of ${document} changed between two reads of one snapshot`);
    }
    return stored.state;
  }

  /** The latest capture of each of these documents by an earlier version. */
  async priorCaptures(documents: readonly string[]): Promise<Map<string, DocumentCapture>> {
    const rows = await this.db.query<{
      document: string;
      layers: Buffer[];
      state_vector: Buffer;
      state_last_id: number;
      last_log_id: number;
    }>(
      `SELECT DISTINCT ON (document) document, layers, state_vector, state_last_id, last_log_id
       FROM set_version_documents WHERE document = ANY($1::text[]) ORDER BY document, version_id DESC`,
      [documents],
    );
    return new Map(
      rows.map((row) => [
        row.document,
        {
          layers: row.layers,
          stateVector: row.state_vector,
          stateLastId: row.state_last_id,
          lastLogId: row.last_log_id,
        },
      ]),
    );
  }

  /**
   * Stores compressed layers; those already stored (same hash) are kept as they are. Each blob is
   * its own parameter, which `pg` sends as binary: inside an array parameter it would go as hex
   * text, twice the bytes for PostgreSQL to parse (3.8 s for a 1,000,000-annotation image's 258 MB
   * of states, against 0.2 s this way; README.md).
   */
  async insertBlobs(blobs: readonly { hash: Buffer; data: Buffer; rawBytes: number }[]): Promise<void> {
    for (const batch of byteBatches(blobs, (b) => b.data.byteLength)) {
      await this.db.query(
        `INSERT INTO version_blobs (hash, data, raw_bytes)
         VALUES ${valuesList(batch.length, ['bytea', 'bytea', 'int'])} ON CONFLICT (hash) DO NOTHING`,
        batch.flatMap((b) => [b.hash, b.data, b.rawBytes]),
      );
    }
  }

  /** Records the version's documents and their captures, many per statement. */
  async insertDocuments(
    versionId: number,
    documents: readonly { document: string; imageId: number; capture: DocumentCapture }[],
  ): Promise<void> {
    for (const batch of byteBatches(documents, (d) => d.capture.stateVector.byteLength + 64)) {
      await this.db.query(
        `INSERT INTO set_version_documents (version_id, document, image_id, layers, state_vector, state_last_id, last_log_id)
         VALUES ${valuesList(batch.length, ['int', 'text', 'int', 'bytea[]', 'bytea', 'bigint', 'bigint'])}`,
        batch.flatMap((d) => [
          versionId,
          d.document,
          d.imageId,
          [...d.capture.layers],
          Buffer.from(d.capture.stateVector),
          d.capture.stateLastId,
          d.capture.lastLogId,
        ]),
      );
    }
  }

  /** A version's documents with their layers (for loading a document as it was). */
  async documents(versionId: number): Promise<{ document: string; image_id: number; layers: Buffer[] }[]> {
    return this.db.query(
      'SELECT document, image_id, layers FROM set_version_documents WHERE version_id = $1 ORDER BY document',
      [versionId],
    );
  }

  /** The frozen annotations of one document of a version. */
  async frozenRows(versionId: number, document: string): Promise<FrozenRow[]> {
    return this.db.query<FrozenRow>(
      `SELECT r.unique_identifier, r.annotation_type_id, r.vector, r.deleted, r.description, r.meta_data,
         r.generated, r.score
       FROM version_annotations r
       WHERE r.document = $2 AND r.valid_from <= $1 AND (r.valid_to IS NULL OR r.valid_to > $1)`,
      [versionId, document],
    );
  }

  /** Compressed layers by hash. */
  async blobs(hashes: readonly Buffer[]): Promise<Map<string, Buffer>> {
    const rows = await this.db.query<{ hash: Buffer; data: Buffer }>(
      'SELECT hash, data FROM version_blobs WHERE hash = ANY($1::bytea[])',
      [hashes],
    );
    return new Map(rows.map((r) => [r.hash.toString('hex'), r.data]));
  }

  /** Bytes a version added: its new blobs (compressed) and its new frozen rows (as stored). */
  async addedBytes(versionId: number): Promise<{ blobs: number; rows: number; rowCount: number }> {
    const rows = await this.db.query<{ blobs: number; rows: number; row_count: number }>(
      `SELECT
         (SELECT coalesce(sum(length(b.data)), 0) FROM version_blobs b WHERE b.hash IN (
            SELECT l.hash FROM set_version_documents d, unnest(d.layers) AS l(hash) WHERE d.version_id = $1
            EXCEPT SELECT l.hash FROM set_version_documents d, unnest(d.layers) AS l(hash) WHERE d.version_id < $1
         ))::float8 AS blobs,
         (SELECT coalesce(sum(pg_column_size(r.*)), 0) FROM version_annotations r WHERE r.valid_from = $1)::float8 AS rows,
         (SELECT count(*) FROM version_annotations r WHERE r.valid_from = $1)::int AS row_count`,
      [versionId],
    );
    const row = rows[0];
    return { blobs: row?.blobs ?? 0, rows: row?.rows ?? 0, rowCount: row?.row_count ?? 0 };
  }
}

/** PostgreSQL's `encode(..., 'base64')` (lines of 76 characters) as bytes; Node skips the newlines. */
function fromBase64(text: string): Buffer {
  return Buffer.from(text, 'base64');
}
