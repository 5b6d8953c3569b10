import type { Queryable } from '../../db/database.js';
import { updateColumns } from '../../db/update-columns.js';
import { SqlConditions, type FilterField, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { annotationInSeenCopy, imageSetVisible } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

const nameFilter = { type: 'text', lookups: ['exact', 'contains', 'in'], column: 'i.name' } as const;
const filenameFilter = { type: 'text', lookups: ['exact', 'contains'], column: 'i.filename' } as const;

export const imageFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'i.id' },
  name: {
    ...nameFilter,
    description:
      'Also matches the uploaded file name where you may see it (team admins; see show_original_names).',
  },
  filename: { ...filenameFilter, description: 'Also matches the uploaded file name, as `name` does.' },
  time: { type: 'timestamp', lookups: ['exact', 'lte', 'gte', 'range'], column: 'i.time' },
  mpp: { type: 'float', lookups: ['exact', 'lte', 'gte', 'range'], column: 'i.mpp' },
  objectivePower: { type: 'float', lookups: ['exact', 'lte', 'gte', 'range'], column: 'i.objective_power' },
  width: { type: 'int', lookups: ['exact', 'lte', 'gte', 'range'], column: 'i.width' },
  height: { type: 'int', lookups: ['exact', 'lte', 'gte', 'range'], column: 'i.height' },
  image_type: { type: 'int', lookups: ['exact', 'in'], column: 'i.image_type' },
  image_set: { type: 'int', lookups: ['exact', 'in'], column: 'i.image_set_id' },
  state: { type: 'text', lookups: ['exact', 'in'], column: 'i.state' },
  // Declared here for parsing and the OpenAPI document; their SQL depends on the viewer (below).
  annotation_type: { type: 'int', lookups: ['exact', 'in'], where: perViewer },
  num_annotations_min: { type: 'int', lookups: ['exact'], compareAs: 'gte', where: perViewer },
  num_annotations_max: { type: 'int', lookups: ['exact'], compareAs: 'lte', where: perViewer },
  verified: { type: 'bool', lookups: ['exact'], where: perViewer },
};

function perViewer(): string {
  throw new Error('annotation filters of images depend on the viewer: use annotationFiltersFor');
}

/**
 * The name filters for one viewer: `name` and `filename` also match the name an image was uploaded
 * under wherever the viewer may see it (team admins, and members of sets that show original names),
 * so a script finds `x.png` right after uploading it while other members see only pseudonyms.
 */
function nameFiltersFor(viewer: ListViewer, q: SqlConditions): FilterSpec {
  const shown = () =>
    viewer.isSuperuser
      ? 'true'
      : `(s.show_original_names OR EXISTS (SELECT 1 FROM team_memberships mo
          WHERE mo.team_id = s.team_id AND mo.user_id = ${q.param(viewer.id)} AND mo.is_admin))`;
  const orOriginal = (field: FilterField & { column: string }): FilterField => ({
    ...field,
    where: (c) => `(${c(field.column)} OR (${c('i.original_filename')} AND ${shown()}))`,
  });
  return {
    ...imageFilters,
    ...annotationFiltersFor(viewer, q),
    name: orOriginal(nameFilter),
    filename: orOriginal(filenameFilter),
  };
}

/**
 * EXACT's annotation filters on images: a live (not deleted) annotation of that type, bounds on the
 * number of live annotations, one someone verified. They count only annotations the viewer sees
 * (rule P2), so in a blind set a reader learns nothing of the other readers' copies.
 */
function annotationFiltersFor(viewer: ListViewer, q: SqlConditions): FilterSpec {
  const seen = () => `NOT a.deleted AND ${annotationInSeenCopy(q, viewer, 'a', 's')}`;
  const live = () => `(SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND ${seen()})`;
  return {
    annotation_type: {
      type: 'int',
      lookups: ['exact', 'in'],
      where: (c) =>
        `EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = i.id AND ${seen()} AND ${c('a.annotation_type_id')})`,
    },
    num_annotations_min: { type: 'int', lookups: ['exact'], compareAs: 'gte', where: (c) => c(live()) },
    num_annotations_max: { type: 'int', lookups: ['exact'], compareAs: 'lte', where: (c) => c(live()) },
    verified: {
      type: 'bool',
      lookups: ['exact'],
      where: (c) =>
        c(`EXISTS (SELECT 1 FROM annotations a JOIN annotation_verifications v ON v.annotation_id = a.id
        WHERE a.image_id = i.id AND ${seen()} AND v.verified)`),
    },
  };
}

export interface ImageRow {
  id: number;
  image_set: number;
  team: number;
  show_original_names: boolean;
  name: string;
  filename: string;
  time: string;
  width: number;
  height: number;
  depth: number;
  frames: number;
  channels: number;
  mpp: number;
  objective_power: number;
  image_type: number;
  state: 'processing' | 'ready' | 'failed';
  failure_reason: string | null;
  original_filename: string | null;
  size_bytes: number | null;
  storage_path: string | null;
  pyramid_path: string | null;
  vendor: string | null;
  associated_images: string[];
  vendor_properties: Record<string, string> | null;
  content_sha256: Buffer | null;
  /** The region size of an image whose annotations are split over regions (collab G1), else null. */
  annotation_region_size: number | null;
  frame_descriptions: number[];
}

export interface NewImage {
  imageSetId: number;
  name: string;
  filename: string;
  originalFilename: string;
  contentSha256: Buffer;
  sizeBytes: number;
  storagePath: string;
  imageType: number;
  uploadedBy: number;
}

export interface InspectedImage {
  width: number;
  height: number;
  frames: number;
  channels: number;
  mpp: number;
  objectivePower: number;
  vendor: string;
  levels: unknown;
  associatedImages: string[];
  vendorProperties: Record<string, string>;
  pyramidPath: string | null;
  /** One label per frame for multi-frame images (video times, page numbers); empty otherwise. */
  frameDescriptions: readonly string[];
}

/** The fields of an image a team admin changes. */
export interface ImageFields {
  name?: string;
  mpp?: number;
  objectivePower?: number;
}

const imageColumnOf: Record<keyof ImageFields, string> = {
  name: 'name',
  mpp: 'mpp',
  objectivePower: 'objective_power',
};

const columns = `i.id, i.image_set_id AS image_set, s.team_id AS team, s.show_original_names, i.name, i.filename, i.time, i.width, i.height,
  i.depth, i.frames, i.channels, i.mpp, i.objective_power, i.image_type, i.state, i.failure_reason,
  i.original_filename, i.size_bytes, i.storage_path, i.pyramid_path, i.vendor, i.associated_images,
  i.vendor_properties, i.content_sha256, i.annotation_region_size,
  ARRAY(SELECT f.id FROM frame_descriptions f WHERE f.image_id = i.id ORDER BY f.frame_id) AS frame_descriptions`;

/** Images: visible exactly where their image set is. */
export class ImagesRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(imageSetVisible(q, viewer, 's'));
    q.addFilters(nameFiltersFor(viewer, q), filters);
    return listPage<ImageRow>(this.db, {
      select: () => columns,
      from: 'images i JOIN image_sets s ON s.id = i.image_set_id',
      conditions: q,
      orderBy: 'i.id',
      page,
    });
  }

  /** One image whoever asks (jobs, the tiler hand-off); callers check permissions first. */
  async byId(id: number): Promise<ImageRow | undefined> {
    const rows = await this.db.query<ImageRow>(
      `SELECT ${columns} FROM images i JOIN image_sets s ON s.id = i.image_set_id WHERE i.id = $1`,
      [id],
    );
    return rows[0];
  }

  async findByContent(imageSetId: number, sha256: Buffer): Promise<number | undefined> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM images WHERE image_set_id = $1 AND content_sha256 = $2',
      [imageSetId, sha256],
    );
    return rows[0]?.id;
  }

  async insert(image: NewImage): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO images (image_set_id, name, filename, original_filename, content_sha256, size_bytes,
         storage_path, image_type, uploaded_by, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'processing') RETURNING id`,
      [
        image.imageSetId,
        image.name,
        image.filename,
        image.originalFilename,
        image.contentSha256,
        image.sizeBytes,
        image.storagePath,
        image.imageType,
        image.uploadedBy,
      ],
    );
    return insertedId(rows);
  }

  /** Changes an image's own fields (callers check permissions first). */
  async update(id: number, changes: ImageFields): Promise<void> {
    await updateColumns(this.db, 'images', id, imageColumnOf, changes);
  }

  /**
   * Moves an image and its annotation rows to another set. The live document keeps its name
   * (`image.<id>`): documents are named by image, so only the projection's set column follows.
   */
  async move(id: number, imageSetId: number): Promise<void> {
    await this.db.query('UPDATE images SET image_set_id = $2 WHERE id = $1', [id, imageSetId]);
    await this.db.query('UPDATE annotations SET image_set_id = $2 WHERE image_id = $1', [id, imageSetId]);
  }

  async markReady(id: number, m: InspectedImage): Promise<void> {
    await this.db.query(
      `UPDATE images SET state = 'ready', failure_reason = NULL, width = $2, height = $3, frames = $4, channels = $5,
         mpp = $6, objective_power = $7, vendor = $8, levels = $9, associated_images = $10, vendor_properties = $11,
         pyramid_path = $12
       WHERE id = $1`,
      [
        id,
        m.width,
        m.height,
        m.frames,
        m.channels,
        m.mpp,
        m.objectivePower,
        m.vendor,
        JSON.stringify(m.levels),
        m.associatedImages,
        JSON.stringify(m.vendorProperties),
        m.pyramidPath,
      ],
    );
    await this.db.query('DELETE FROM frame_descriptions WHERE image_id = $1', [id]);
    if (m.frameDescriptions.length > 0) {
      await this.db.query(
        `INSERT INTO frame_descriptions (image_id, frame_id, description)
         SELECT $1, ordinality, description FROM unnest($2::text[]) WITH ORDINALITY AS d(description, ordinality)`,
        [id, m.frameDescriptions],
      );
    }
  }

  async markFailed(id: number, reason: string): Promise<void> {
    await this.db.query("UPDATE images SET state = 'failed', failure_reason = $2 WHERE id = $1", [
      id,
      reason,
    ]);
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM images WHERE id = $1', [id]);
  }
}
