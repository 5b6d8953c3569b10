import type { Queryable } from '../../db/database.js';
import { updateColumns } from '../../db/update-columns.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { imageSetVisible } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

export const imageSetFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 's.id' },
  name: { type: 'text', lookups: ['exact', 'contains', 'in'], column: 's.name' },
  location: { type: 'text', lookups: ['exact', 'contains'], column: 's.location' },
  description: { type: 'text', lookups: ['exact', 'contains'], column: 's.description' },
  time: { type: 'timestamp', lookups: ['exact', 'lte', 'gte', 'range'], column: 's.time' },
  team: { type: 'int', lookups: ['exact', 'in'], column: 's.team_id' },
  creator: { type: 'int', lookups: ['exact', 'in'], column: 's.creator_id' },
  public: { type: 'bool', lookups: ['exact'], column: 's.public' },
  main_annotation_type: { type: 'int', lookups: ['exact', 'in'], column: 's.main_annotation_type_id' },
  collaboration_type: { type: 'int', lookups: ['exact', 'in'], column: 's.collaboration_type' },
  priority: { type: 'int', lookups: ['exact', 'in'], column: 's.priority' },
  images: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) => `EXISTS (SELECT 1 FROM images i WHERE i.image_set_id = s.id AND ${c('i.id')})`,
  },
  set_tags: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM image_set_tags st WHERE st.image_set_id = s.id AND ${c('st.set_tag_id')})`,
  },
  product: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM product_image_sets ps WHERE ps.image_set_id = s.id AND ${c('ps.product_id')})`,
  },
};

export interface ImageSetRow {
  id: number;
  name: string;
  path: string;
  location: string;
  description: string;
  images: number[];
  product_set: number[];
  main_annotation_type: number | null;
  set_tags: number[];
  team: number;
  creator: number | null;
  public: boolean;
  collaboration_type: 0 | 1 | 2;
  priority: number;
  required_verifications: number;
  show_original_names: boolean;
  time: string;
}

export interface ImageSetFields {
  name: string;
  team: number;
  location: string;
  description: string;
  public: boolean;
  main_annotation_type: number | null;
  collaboration_type: 0 | 1 | 2;
  priority: number;
  /** Absent: the column's default (1). */
  required_verifications?: number;
  show_original_names: boolean;
}

const columnOf: Record<keyof ImageSetFields, string> = {
  name: 'name',
  team: 'team_id',
  location: 'location',
  description: 'description',
  public: 'public',
  main_annotation_type: 'main_annotation_type_id',
  collaboration_type: 'collaboration_type',
  priority: 'priority',
  required_verifications: 'required_verifications',
  show_original_names: 'show_original_names',
};

/** Image sets with their images, products and tags. */
export class ImageSetsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(imageSetVisible(q, viewer, 's'));
    q.addFilters(imageSetFilters, filters);
    return listPage<ImageSetRow>(this.db, {
      select:
        () => `s.id, s.name, s.path, s.location, s.description, s.team_id AS team, s.creator_id AS creator,
        s.public, s.main_annotation_type_id AS main_annotation_type, s.collaboration_type, s.priority, s.required_verifications, s.show_original_names,
        s.time,
        ARRAY(SELECT i.id FROM images i WHERE i.image_set_id = s.id ORDER BY i.id) AS images,
        ARRAY(SELECT ps.product_id FROM product_image_sets ps WHERE ps.image_set_id = s.id ORDER BY 1) AS product_set,
        ARRAY(SELECT st.set_tag_id FROM image_set_tags st WHERE st.image_set_id = s.id ORDER BY 1) AS set_tags`,
      from: 'image_sets s',
      conditions: q,
      orderBy: 's.id',
      page,
    });
  }

  /** Inserts a set; its storage folder is named after its id. */
  async insert(fields: ImageSetFields, creatorId: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('image_sets', 'id'))::int AS id)
       INSERT INTO image_sets (id, path, name, team_id, location, description, public, main_annotation_type_id,
         collaboration_type, priority, creator_id, show_original_names, required_verifications)
       SELECT id, 'imageset_' || id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM next RETURNING id`,
      [
        fields.name,
        fields.team,
        fields.location,
        fields.description,
        fields.public,
        fields.main_annotation_type,
        fields.collaboration_type,
        fields.priority,
        creatorId,
        fields.show_original_names,
        fields.required_verifications ?? 1,
      ],
    );
    return insertedId(rows);
  }

  async update(id: number, changes: Partial<ImageSetFields>): Promise<void> {
    await updateColumns(this.db, 'image_sets', id, columnOf, changes);
  }

  async replaceTags(id: number, tagIds: readonly number[]): Promise<void> {
    await this.db.query('DELETE FROM image_set_tags WHERE image_set_id = $1', [id]);
    await this.db.query(
      'INSERT INTO image_set_tags (image_set_id, set_tag_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING',
      [id, tagIds],
    );
  }

  async replaceProducts(id: number, productIds: readonly number[]): Promise<void> {
    await this.db.query('DELETE FROM product_image_sets WHERE image_set_id = $1', [id]);
    await this.db.query(
      'INSERT INTO product_image_sets (product_id, image_set_id) SELECT unnest($2::int[]), $1 ON CONFLICT DO NOTHING',
      [id, productIds],
    );
  }

  /** The set's team (for permission checks), whoever asks; undefined if it does not exist. */
  async teamOf(id: number): Promise<number | undefined> {
    const rows = await this.db.query<{ team_id: number }>('SELECT team_id FROM image_sets WHERE id = $1', [
      id,
    ]);
    return rows[0]?.team_id;
  }

  /** The set's team and collaboration kind, whoever asks; undefined if it does not exist. */
  async kindOf(id: number): Promise<{ team_id: number; collaboration_type: number } | undefined> {
    const rows = await this.db.query<{ team_id: number; collaboration_type: number }>(
      'SELECT team_id, collaboration_type FROM image_sets WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  /** Of the given ids, those that are image sets of the team. */
  async idsInTeam(teamId: number, ids: readonly number[]): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM image_sets WHERE team_id = $1 AND id = ANY($2::int[])',
      [teamId, ids],
    );
    return rows.map((r) => r.id);
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM image_sets WHERE id = $1', [id]);
  }
}
