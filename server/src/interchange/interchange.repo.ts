import type { Queryable } from '../db/database.js';

export interface ImportTarget {
  readonly imageSetId: number;
  readonly teamId: number;
  readonly collaborationType: number;
  readonly public: boolean;
  /** null: not a member of the set's team. */
  readonly isAdmin: boolean | null;
}

export interface ImportType {
  readonly id: number;
  readonly name: string;
  readonly vector_type: number;
  readonly node_count: number;
}

/** The SQL of imports: the target set and the viewer's place in its team, its types and images. */
export class InterchangeRepo {
  constructor(private readonly db: Queryable) {}

  async target(imageSetId: number, userId: number): Promise<ImportTarget | undefined> {
    const rows = await this.db.query<ImportTarget>(
      `SELECT s.id AS "imageSetId", s.team_id AS "teamId", s.collaboration_type AS "collaborationType",
         s.public, m.is_admin AS "isAdmin"
       FROM image_sets s LEFT JOIN team_memberships m ON m.team_id = s.team_id AND m.user_id = $2
       WHERE s.id = $1`,
      [imageSetId, userId],
    );
    return rows[0];
  }

  /** The active annotation types of the set's products (the first by id wins a shared name). */
  async types(imageSetId: number): Promise<ImportType[]> {
    return this.db.query<ImportType>(
      `SELECT DISTINCT ON (t.name) t.id, t.name, t.vector_type, t.node_count
       FROM annotation_types t JOIN product_image_sets p ON p.product_id = t.product_id
       WHERE p.image_set_id = $1 AND t.active ORDER BY t.name, t.id`,
      [imageSetId],
    );
  }

  /** The set's images by their name and by the file name they were uploaded with. */
  async images(
    imageSetId: number,
  ): Promise<{ id: number; name: string; filename: string; annotation_region_size: number | null }[]> {
    return this.db.query(
      'SELECT id, name, filename, annotation_region_size FROM images WHERE image_set_id = $1 ORDER BY id',
      [imageSetId],
    );
  }
}
