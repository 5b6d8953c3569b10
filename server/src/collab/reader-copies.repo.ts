import type { Database, Queryable } from '../db/database.js';
import { BLIND } from '../access/policy/modes.js';
import { READER_COPY_NAME } from './document-names.js';

/** A per-reader document name of one image and set, as stored. */
export interface StoredReaderCopy {
  readonly document: string;
  readonly image_id: number;
  readonly image_set_id: number;
}

/**
 * Stored documents named `image.<id>.user.<uid>`, with regions also `...user.<uid>.regions` and
 * `...user.<uid>.region.<x>.<y>`, and the image they belong to.
 */
const READER_COPIES = `
  SELECT n.document, i.id AS image_id, i.image_set_id
  FROM (SELECT document FROM annotation_document_states
        UNION SELECT DISTINCT document FROM annotation_document_updates) n
  JOIN images i ON i.id = split_part(n.document, '.', 2)::int
  JOIN image_sets s ON s.id = i.image_set_id
  WHERE n.document ~ '${READER_COPY_NAME}'`;

/**
 * The SQL of moving readers' copies (blind sets) into their image's shared document when a set stops
 * being blind (README rule B1): which copies are left, the projection rows and client-id claims that
 * follow them, and removing a merged copy.
 */
export class ReaderCopiesRepo {
  constructor(private readonly db: Database) {}

  /** The stored readers' copies of images in sets that are not blind (now): work still to do. */
  async pending(imageSetId?: number): Promise<StoredReaderCopy[]> {
    return this.db.query<StoredReaderCopy>(
      `${READER_COPIES} AND s.collaboration_type <> ${BLIND}
       AND ($1::int IS NULL OR s.id = $1) ORDER BY n.document`,
      [imageSetId ?? null],
    );
  }

  /** Whether an image's set is blind now (undefined: no such image). */
  async isBlind(imageId: number): Promise<boolean | undefined> {
    const rows = await this.db.query<{ blind: boolean }>(
      `SELECT s.collaboration_type = ${BLIND} AS blind
       FROM images i JOIN image_sets s ON s.id = i.image_set_id WHERE i.id = $1`,
      [imageId],
    );
    return rows[0]?.blind;
  }

  /**
   * Before a copy's annotations enter the shared document: their projection rows move to it, so the
   * projection's upsert (by document and uuid) keeps their ids, and with them every pk a client
   * already holds. Rows of annotations the shared document projects already are dropped, their
   * attached files moved to the shared row. The copy's client-id claims (rule V4) become claims in
   * the shared document too: its items keep their ids.
   * Answers the claims another user holds in the shared document already (a client-id clash).
   */
  async moveToShared(copy: string, shared: string): Promise<number[]> {
    return this.db.transaction(async (tx: Queryable) => {
      await tx.query(
        `UPDATE annotations a SET document = $2
         WHERE a.document = $1 AND NOT EXISTS (
           SELECT 1 FROM annotations b WHERE b.document = $2 AND b.unique_identifier = a.unique_identifier)`,
        [copy, shared],
      );
      // Files attached to a dropped row (EXACT's annotation_media_files, not part of the document)
      // follow to the shared row of the same annotation instead of going with the row's cascade.
      await tx.query(
        `UPDATE annotation_media_files f SET annotation_id = b.id
         FROM annotations a JOIN annotations b ON b.document = $2 AND b.unique_identifier = a.unique_identifier
         WHERE a.document = $1 AND f.annotation_id = a.id`,
        [copy, shared],
      );
      await tx.query('DELETE FROM annotations WHERE document = $1', [copy]);
      const clashes = await tx.query<{ client_id: number }>(
        `SELECT c.client_id FROM annotation_document_clients c
         JOIN annotation_document_clients t ON t.document = $2 AND t.client_id = c.client_id
         WHERE c.document = $1 AND t.user_id <> c.user_id`,
        [copy, shared],
      );
      await tx.query(
        `INSERT INTO annotation_document_clients (document, client_id, user_id)
         SELECT $2, client_id, user_id FROM annotation_document_clients WHERE document = $1
         ON CONFLICT (document, client_id) DO NOTHING`,
        [copy, shared],
      );
      return clashes.map((r) => r.client_id);
    });
  }

  /**
   * Removes a merged copy: its log rows up to `lastLogId` (a row logged after the merge read the
   * copy stays, and the copy stays pending), its state, claims and projection rows. Answers whether
   * nothing of it is left.
   */
  async remove(copy: string, lastLogId: number): Promise<boolean> {
    return this.db.transaction(async (tx: Queryable) => {
      await tx.query('DELETE FROM annotation_document_updates WHERE document = $1 AND id <= $2', [
        copy,
        lastLogId,
      ]);
      const left = await tx.query('SELECT 1 FROM annotation_document_updates WHERE document = $1 LIMIT 1', [
        copy,
      ]);
      if (left.length > 0) return false;
      await tx.query('DELETE FROM annotation_document_states WHERE document = $1', [copy]);
      await tx.query('DELETE FROM annotation_document_clients WHERE document = $1', [copy]);
      await tx.query('DELETE FROM annotations WHERE document = $1', [copy]);
      return true;
    });
  }

  /** The id of a document's newest log row (0 if none). */
  async lastLogId(document: string): Promise<number> {
    const rows = await this.db.query<{ id: number | null }>(
      'SELECT max(id) AS id FROM annotation_document_updates WHERE document = $1',
      [document],
    );
    return rows[0]?.id ?? 0;
  }
}
