import { annotationMapVisible } from '../access/policy/visibility.js';
import type { Queryable } from '../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { insertedId } from '../db/inserted-id.js';
import { listPage } from '../db/list-query.js';
import type { ListViewer } from '../resources/users/users.repo.js';

export const mapFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'm.id' },
  image_set: { type: 'int', lookups: ['exact', 'in'], column: 'm.image_set_id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'm.image_id' },
  annotation_type: { type: 'int', lookups: ['exact', 'in'], column: 'm.annotation_type_id' },
  kind: { type: 'text', lookups: ['exact'], column: 'm.kind' },
  state: { type: 'text', lookups: ['exact'], column: 'm.state' },
};

/** A map's own columns and its team. */
export interface MapRecord {
  id: number;
  name: string;
  image_set_id: number;
  image_id: number | null;
  annotation_type_id: number;
  kind: 'grid' | 'cluster';
  cell_size: number;
  context: number;
  seed: number;
  state: 'processing' | 'ready' | 'failed';
  failure_reason: string | null;
  generation: number;
  columns: number;
  rows: number;
  width: number;
  height: number;
  layout_path: string | null;
  mosaic_path: string | null;
  creator_id: number | null;
  created_at: string;
  generated_at: string | null;
  features: Record<string, number[]> | null;
  team_id: number;
}

/** A map as its list and retrieve answer it: with its cell count and whether it is stale. */
export interface MapRow extends MapRecord {
  annotation_count: number;
  stale: boolean;
}

export type NewMap = Pick<
  MapRecord,
  'name' | 'image_set_id' | 'image_id' | 'annotation_type_id' | 'kind' | 'cell_size' | 'context' | 'seed'
> & { creatorId: number; features: Record<string, number[]> | null };

/** An annotation a map shows, with what cropping it needs of its image. */
export interface ScopeAnnotation {
  id: number;
  unique_identifier: string;
  image_id: number;
  frame: number | null;
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
  width: number;
  height: number;
  frames: number;
  pyramid: string;
}

/** A cell as the generation stores it. */
export interface NewCell {
  cell: number;
  col: number;
  row: number;
  annotationId: number;
  box: readonly [number, number, number, number];
  boxInCell: readonly [number, number, number, number];
}

export interface LiveCellRow {
  cell: number;
  col: number;
  row: number;
  annotation: number;
  unique_identifier: string;
  image: number;
  annotation_type: number;
  deleted: boolean;
  moved: boolean;
  box_in_cell: [number, number, number, number];
}

// An annotation of the map's scope and type that a map can show: boxed, not deleted, on a ready image.
const IN_SCOPE = `a.annotation_type_id = m.annotation_type_id AND a.image_set_id = m.image_set_id
  AND (m.image_id IS NULL OR a.image_id = m.image_id) AND NOT a.deleted AND a.x_min IS NOT NULL
  AND EXISTS (SELECT 1 FROM images si WHERE si.id = a.image_id AND si.state = 'ready')`;

// Stale: an annotation in scope is on no cell (counted: each annotation is on one cell at most, so the
// scope is covered exactly when as many cells as it has annotations hold one of them), or an annotation
// on the map moved. The cells' (annotation_id, map_id) index makes each lookup exact.
const STALE = `m.state = 'ready' AND (
  (SELECT count(*) FROM annotations a WHERE ${IN_SCOPE})
    <> (SELECT count(*) FROM annotation_map_cells c JOIN annotations a ON a.id = c.annotation_id
        WHERE c.map_id = m.id AND ${IN_SCOPE})
  OR EXISTS (SELECT 1 FROM annotation_map_cells c JOIN annotations a ON a.id = c.annotation_id
    WHERE c.map_id = m.id AND NOT a.deleted
      AND (a.x_min, a.y_min, a.x_max, a.y_max) IS DISTINCT FROM (c.x_min, c.y_min, c.x_max, c.y_max)))`;

const RECORD_COLUMNS = `m.id, m.name, m.image_set_id, m.image_id, m.annotation_type_id, m.kind, m.cell_size,
  m.context, m.seed, m.state, m.failure_reason, m.generation, m.columns, m.rows, m.width, m.height,
  m.layout_path, m.mosaic_path, m.creator_id, m.created_at, m.generated_at, m.features, s.team_id`;

/** The maps `viewer` sees that pass `filters` (FROM `annotation_maps m JOIN image_sets s`). */
function visibleMaps(viewer: ListViewer, filters: readonly ParsedFilter[]): SqlConditions {
  const q = new SqlConditions();
  // [P8] Where the set is seen; in blind sets by those who administer the team.
  q.add(annotationMapVisible(q, viewer, 's'));
  q.addFilters(mapFilters, filters);
  return q;
}

/** Annotation maps and their cells. */
export class MapsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return listPage<MapRow>(this.db, {
      select: () => `${RECORD_COLUMNS},
        (SELECT count(*)::int FROM annotation_map_cells c WHERE c.map_id = m.id) AS annotation_count,
        (${STALE}) AS stale`,
      from: 'annotation_maps m JOIN image_sets s ON s.id = m.image_set_id',
      conditions: visibleMaps(viewer, filters),
      orderBy: 'm.id',
      page,
    });
  }

  /**
   * One map the viewer sees, without its cell count and staleness: tile, cell and screening requests
   * check access with it on every call, and `stale` counts the annotations of the map's whole scope.
   */
  async visible(viewer: ListViewer, id: number): Promise<MapRecord | undefined> {
    const { rows } = await listPage<MapRecord>(this.db, {
      select: () => RECORD_COLUMNS,
      from: 'annotation_maps m JOIN image_sets s ON s.id = m.image_set_id',
      conditions: visibleMaps(viewer, [{ name: 'id', lookup: 'exact', value: id }]),
      orderBy: 'm.id',
    });
    return rows[0];
  }

  async insert(map: NewMap): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO annotation_maps (name, image_set_id, image_id, annotation_type_id, kind, cell_size, context,
         seed, features, state, creator_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'processing', $10) RETURNING id`,
      [
        map.name,
        map.image_set_id,
        map.image_id,
        map.annotation_type_id,
        map.kind,
        map.cell_size,
        map.context,
        map.seed,
        map.features === null ? null : JSON.stringify(map.features),
        map.creatorId,
      ],
    );
    return insertedId(rows);
  }

  /** Starts a new generation (state processing); answers its number. */
  async nextGeneration(id: number): Promise<number> {
    const rows = await this.db.query<{ generation: number }>(
      `UPDATE annotation_maps SET generation = generation + 1, state = 'processing', failure_reason = NULL
       WHERE id = $1 RETURNING generation`,
      [id],
    );
    return rows[0]?.generation ?? 0;
  }

  /** The maps whose generation was in progress, oldest first (at start: left by a stopped server). */
  async processing(): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `SELECT id FROM annotation_maps WHERE state = 'processing' ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  /** Every annotation the map would show now, in image then annotation order. */
  async scope(id: number): Promise<ScopeAnnotation[]> {
    return this.db.query<ScopeAnnotation>(
      `SELECT a.id, a.unique_identifier, a.image_id, a.frame, a.x_min, a.y_min, a.x_max, a.y_max,
         i.width, i.height, i.frames, COALESCE(i.pyramid_path, i.storage_path) AS pyramid
       FROM annotation_maps m JOIN annotations a ON ${IN_SCOPE} JOIN images i ON i.id = a.image_id
       WHERE m.id = $1 ORDER BY a.image_id, a.id`,
      [id],
    );
  }

  /**
   * Stores a finished generation (its cells replace the previous ones) unless a newer generation has
   * started meanwhile; answers whether it was stored.
   */
  async finish(
    id: number,
    generation: number,
    done: { columns: number; rows: number; width: number; height: number; layout: string; mosaic: string },
    cells: readonly NewCell[],
  ): Promise<boolean> {
    const updated = await this.db.query<{ id: number }>(
      `UPDATE annotation_maps SET state = 'ready', columns = $3, rows = $4, width = $5, height = $6,
         layout_path = $7, mosaic_path = $8, generated_at = now()
       WHERE id = $1 AND generation = $2 RETURNING id`,
      [id, generation, done.columns, done.rows, done.width, done.height, done.layout, done.mosaic],
    );
    if (updated.length === 0) return false;
    await this.db.query('DELETE FROM annotation_map_cells WHERE map_id = $1', [id]);
    if (cells.length > 0) {
      await this.db.query(
        `INSERT INTO annotation_map_cells (map_id, cell, col, "row", annotation_id, x_min, y_min, x_max, y_max,
           box_in_cell)
         SELECT $1, c.cell, c.col, c.row, c.annotation_id, c.x_min, c.y_min, c.x_max, c.y_max, c.box_in_cell
         FROM jsonb_to_recordset($2::jsonb) AS c(cell int, col int, "row" int, annotation_id int,
           x_min float8, y_min float8, x_max float8, y_max float8, box_in_cell real[])`,
        [
          id,
          JSON.stringify(
            cells.map((c) => ({
              cell: c.cell,
              col: c.col,
              row: c.row,
              annotation_id: c.annotationId,
              x_min: c.box[0],
              y_min: c.box[1],
              x_max: c.box[2],
              y_max: c.box[3],
              box_in_cell: c.boxInCell,
            })),
          ),
        ],
      );
    }
    return true;
  }

  async fail(id: number, generation: number, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE annotation_maps SET state = 'failed', failure_reason = $3 WHERE id = $1 AND generation = $2`,
      [id, generation, reason],
    );
  }

  /** Whether the annotation type belongs to a product of the image set. */
  async typeInSet(typeId: number, setId: number): Promise<boolean> {
    const rows = await this.db.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM annotation_types t JOIN product_image_sets p ON p.product_id = t.product_id
         WHERE t.id = $1 AND p.image_set_id = $2) AS ok`,
      [typeId, setId],
    );
    return rows[0]?.ok ?? false;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM annotation_maps WHERE id = $1', [id]);
  }

  /** The map's cells with their annotations as they are now (type, deletion, box moved). */
  async liveCells(id: number): Promise<LiveCellRow[]> {
    return this.db.query<LiveCellRow>(
      `SELECT c.cell, c.col, c."row" AS row, a.id AS annotation, a.unique_identifier, a.image_id AS image,
         a.annotation_type_id AS annotation_type, a.deleted, c.box_in_cell,
         (a.x_min, a.y_min, a.x_max, a.y_max) IS DISTINCT FROM (c.x_min, c.y_min, c.x_max, c.y_max) AS moved
       FROM annotation_map_cells c JOIN annotations a ON a.id = c.annotation_id
       WHERE c.map_id = $1 ORDER BY c.cell`,
      [id],
    );
  }
}
