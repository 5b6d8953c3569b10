import type { Database } from '../db/database.js';

/** The SQL of periodic versions: which image sets changed since their latest version, and pruning. */
export class SnapshotsRepo {
  constructor(private readonly db: Database) {}

  /**
   * Image sets with annotations whose latest edit, verification or image upload is newer than the set's
   * latest version (any version naming it), or which have annotations and no version at all.
   */
  async changedImageSets(): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `WITH latest AS (
         SELECT vs.image_set_id, max(v.created_at) AS at
         FROM set_version_image_sets vs JOIN set_versions v ON v.id = vs.version_id GROUP BY 1),
       activity AS (
         SELECT a.image_set_id, max(greatest(a.last_edit_time, av.last_verified)) AS at
         FROM annotations a
         LEFT JOIN (SELECT annotation_id, max(time) AS last_verified FROM annotation_verifications GROUP BY 1) av
           ON av.annotation_id = a.id
         GROUP BY 1
         UNION ALL SELECT image_set_id, max(time) FROM images GROUP BY 1)
       SELECT s.id FROM image_sets s
       JOIN (SELECT image_set_id, max(at) AS at FROM activity GROUP BY 1) act ON act.image_set_id = s.id
       LEFT JOIN latest l ON l.image_set_id = s.id
       WHERE EXISTS (SELECT 1 FROM annotations a WHERE a.image_set_id = s.id)
         AND (l.at IS NULL OR act.at > l.at)
       ORDER BY s.id`,
    );
    return rows.map((r) => r.id);
  }

  /** Deletes the set's automatic versions beyond the newest `keep`; answers how many. */
  async prune(imageSetId: number, keep: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `DELETE FROM set_versions WHERE id IN (
         SELECT v.id FROM set_versions v JOIN set_version_image_sets vs ON vs.version_id = v.id
         WHERE v.automatic AND vs.image_set_id = $1
         ORDER BY v.id DESC OFFSET $2)
       RETURNING id`,
      [imageSetId, keep],
    );
    return rows.length;
  }
}
