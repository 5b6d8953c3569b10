import type { Queryable } from '../../db/database.js';
import type { ImageActionEntry } from './reading-time.js';

/** A reader's annotation as the statistics need it: where it is, its class, whose it is. */
export interface StudyAnnotationRow {
  image_id: number;
  annotation_type_id: number;
  /** The document's owner in a blind set (`image.<id>.user.<uid>[.<part>]`), else the creator. */
  reader_id: number | null;
  frame: number | null;
  x_min: number | null;
  y_min: number | null;
  x_max: number | null;
  y_max: number | null;
}

/** The rows behind a set's study statistics; the service decides who may read them. */
export class StudyStatisticsRepo {
  constructor(private readonly db: Queryable) {}

  /**
   * The readers' own annotations of the set: not deleted and not algorithm proposals (which every
   * reader would share, inflating agreement). The reader is the owner named by the document's name in
   * blind sets, whoever made the edit, else the annotation's creator.
   */
  annotations(imageSetId: number): Promise<StudyAnnotationRow[]> {
    return this.db.query<StudyAnnotationRow>(
      `SELECT a.image_id, a.annotation_type_id,
              COALESCE((substring(a.document FROM '^image\\.[0-9]+\\.user\\.([0-9]+)'))::int, a.user_id) AS reader_id,
              a.frame, a.x_min, a.y_min, a.x_max, a.y_max
         FROM annotations a
        WHERE a.image_set_id = $1 AND NOT a.deleted AND NOT a.generated
        ORDER BY a.image_id, a.id`,
      [imageSetId],
    );
  }

  /** Every entry of the image action log on the set's images. */
  async imageActions(imageSetId: number): Promise<ImageActionEntry[]> {
    const rows = await this.db.query<{
      id: number;
      user_id: number;
      image_id: number;
      action: number;
      at: number;
    }>(
      `SELECT l.id, l.user_id, l.image_id, l.action, (extract(epoch FROM l.time) * 1000)::float8 AS at
         FROM image_action_logs l JOIN images i ON i.id = l.image_id
        WHERE i.image_set_id = $1
        ORDER BY l.user_id, l.image_id, l.time, l.id`,
      [imageSetId],
    );
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      imageId: r.image_id,
      action: r.action,
      at: r.at,
    }));
  }

  /** The team's members who are not its admins: the readers expected to take part. */
  async expectedReaders(teamId: number): Promise<number[]> {
    const rows = await this.db.query<{ user_id: number }>(
      'SELECT user_id FROM team_memberships WHERE team_id = $1 AND NOT is_admin ORDER BY user_id',
      [teamId],
    );
    return rows.map((r) => r.user_id);
  }

  async usernames(ids: readonly number[]): Promise<Map<number, string>> {
    const rows = await this.db.query<{ id: number; username: string }>(
      'SELECT id, username FROM users WHERE id = ANY($1::int[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  images(imageSetId: number): Promise<{ id: number; name: string }[]> {
    return this.db.query('SELECT id, name FROM images WHERE image_set_id = $1 ORDER BY id', [imageSetId]);
  }

  /** The annotation types of the set's products and any others its annotations have, in sort order. */
  annotationTypes(imageSetId: number): Promise<{ id: number; name: string }[]> {
    return this.db.query(
      `SELECT t.id, t.name FROM annotation_types t
        WHERE t.product_id IN (SELECT product_id FROM product_image_sets WHERE image_set_id = $1)
           OR t.id IN (SELECT annotation_type_id FROM annotations WHERE image_set_id = $1)
        ORDER BY t.sort_order, t.id`,
      [imageSetId],
    );
  }
}
