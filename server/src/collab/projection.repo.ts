import { isoTextOf } from '@tessera/shared';
import type { Queryable } from '../db/database.js';

/** One annotation as the projection stores it. */
export interface ProjectedAnnotation {
  readonly uuid: string;
  readonly type: number;
  readonly vector: Record<string, number> | null;
  readonly frame: number | null;
  readonly box: { xMin: number; yMin: number; xMax: number; yMax: number } | null;
  readonly deleted: boolean;
  readonly description: string;
  readonly meta: unknown;
  readonly creator: number;
  readonly createdAt: number;
  readonly generated: boolean;
  readonly score: number | null;
  readonly editor: number;
  readonly editedAt: number;
}

/** One user's verification of one annotation, as the projection stores it. */
export interface ProjectedVerification {
  readonly uuid: string;
  readonly user: number;
  readonly verified: boolean;
  readonly at: number;
}

/** Writes of the annotation projection (all its SQL); reads live in the annotations module. */
export class ProjectionRepo {
  constructor(private readonly db: Queryable) {}

  /**
   * Inserts or rewrites these annotations of one document, in one statement. The image set is read
   * from the image row as the statement runs, so rows written after the image moved to another set
   * (images.service.ts) land in the new one whatever set the open document was loaded under.
   */
  async upsert(document: string, image: { readonly imageId: number }, rows: readonly ProjectedAnnotation[]) {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO annotations (unique_identifier, document, image_id, image_set_id, annotation_type_id, vector, frame,
         x_min, y_min, x_max, y_max, deleted, description, meta_data, user_id, time, last_editor_id, last_edit_time,
         generated, score)
       SELECT r.uuid, $1, $2, (SELECT image_set_id FROM images WHERE id = $2), r.type, r.vector, r.frame, r.x_min, r.y_min, r.x_max, r.y_max, r.deleted,
         r.description, r.meta, u.id, r.created_at, e.id, r.edited_at,
         r.generated, r.score
       FROM jsonb_to_recordset($3::jsonb) AS r(uuid uuid, type int, vector jsonb, frame int, x_min float8, y_min float8,
         x_max float8, y_max float8, deleted bool, description text, meta jsonb, creator int, created_at timestamptz,
         editor int, edited_at timestamptz, generated bool, score float8)
       LEFT JOIN users u ON u.id = r.creator
       LEFT JOIN users e ON e.id = r.editor
       ON CONFLICT (document, unique_identifier) DO UPDATE SET image_set_id = EXCLUDED.image_set_id,
         annotation_type_id = EXCLUDED.annotation_type_id, vector = EXCLUDED.vector, frame = EXCLUDED.frame,
         x_min = EXCLUDED.x_min, y_min = EXCLUDED.y_min, x_max = EXCLUDED.x_max, y_max = EXCLUDED.y_max,
         deleted = EXCLUDED.deleted, description = EXCLUDED.description, meta_data = EXCLUDED.meta_data,
         last_editor_id = EXCLUDED.last_editor_id, last_edit_time = EXCLUDED.last_edit_time,
         generated = EXCLUDED.generated, score = EXCLUDED.score`,
      [
        document,
        image.imageId,
        JSON.stringify(
          rows.map((r) => ({
            uuid: r.uuid,
            type: r.type,
            vector: r.vector,
            frame: r.frame,
            x_min: r.box?.xMin ?? null,
            y_min: r.box?.yMin ?? null,
            x_max: r.box?.xMax ?? null,
            y_max: r.box?.yMax ?? null,
            deleted: r.deleted,
            description: r.description,
            meta: r.meta,
            creator: r.creator,
            created_at: timestampText(r.createdAt),
            editor: r.editor,
            edited_at: timestampText(r.editedAt),
            generated: r.generated,
            score: r.score,
          })),
        ),
      ],
    );
  }

  /** Refreshes the planner's statistics of the projection's tables. */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE annotations, annotation_verifications');
  }

  /** How many rows a document has and its latest edit (ms), to tell whether a load must re-project. */
  async summary(document: string): Promise<{ count: number; lastEdit: number }> {
    // Whole microseconds (extract gives an exact numeric), as the document's times are.
    const rows = await this.db.query<{ count: number; last_edit: string | null }>(
      `SELECT count(*) AS count, (extract(epoch FROM max(last_edit_time)) * 1000000)::bigint::text AS last_edit
       FROM annotations WHERE document = $1`,
      [document],
    );
    return { count: rows[0]?.count ?? 0, lastEdit: Number(rows[0]?.last_edit ?? 0) / 1000 };
  }

  /** Removes rows of a document whose annotations are no longer in it (a rebuild after a restore). */
  async deleteOthers(document: string, keep: readonly string[]): Promise<void> {
    await this.db.query(
      'DELETE FROM annotations WHERE document = $1 AND NOT (unique_identifier = ANY($2::uuid[]))',
      [document, keep],
    );
  }

  /**
   * Makes the verification rows of these annotations of a document exactly `rows`: upserts what is
   * there, removes what is not (verifications of users deleted meanwhile are skipped). One statement.
   */
  async replaceVerifications(
    document: string,
    uuids: readonly string[],
    rows: readonly ProjectedVerification[],
  ): Promise<void> {
    if (uuids.length === 0) return;
    await this.db.query(
      `WITH target AS (
         SELECT id, unique_identifier FROM annotations WHERE document = $1 AND unique_identifier = ANY($2::uuid[])
       ), incoming AS (
         SELECT t.id AS annotation_id, u.id AS user_id, r.verified, r.at AS time
         FROM jsonb_to_recordset($3::jsonb) AS r(uuid uuid, user_id int, verified bool, at timestamptz)
         JOIN target t ON t.unique_identifier = r.uuid
         JOIN users u ON u.id = r.user_id
       ), removed AS (
         DELETE FROM annotation_verifications v USING target t
         WHERE v.annotation_id = t.id
           AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.annotation_id = v.annotation_id AND i.user_id = v.user_id)
       )
       INSERT INTO annotation_verifications (annotation_id, user_id, verified, time)
       SELECT annotation_id, user_id, verified, time FROM incoming
       ON CONFLICT (annotation_id, user_id) DO UPDATE SET verified = EXCLUDED.verified, time = EXCLUDED.time`,
      [
        document,
        uuids,
        JSON.stringify(
          rows.map((r) => ({ uuid: r.uuid, user_id: r.user, verified: r.verified, at: timestampText(r.at) })),
        ),
      ],
    );
  }
}

/**
 * A document time as the exact text PostgreSQL reads (microseconds kept). Years past 9999 lose ISO
 * 8601's expanded-year sign ("+275760-..."), which PostgreSQL reads as a time zone and refuses. A time
 * beyond a JavaScript Date is sent as its number, which PostgreSQL refuses as a data exception like any
 * other value it cannot store, so the projection leaves that one annotation out (projection-repair.ts).
 */
function timestampText(ms: number): string {
  if (Number.isNaN(new Date(Math.floor(ms)).getTime())) return String(ms);
  const iso = isoTextOf(ms);
  return iso.startsWith('+') ? iso.slice(1) : iso;
}
