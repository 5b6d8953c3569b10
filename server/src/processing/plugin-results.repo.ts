import type { Queryable } from '../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { insertedId } from '../db/inserted-id.js';
import { listPage, type ListQuery } from '../db/list-query.js';
import { pluginJobVisible } from '../access/policy/visibility.js';
import type { ListViewer } from '../resources/users/users.repo.js';

type Page = ListQuery['page'];

export const resultFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'r.id' },
  job: { type: 'int', lookups: ['exact', 'in'], column: 'r.job_id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'j.image_id' },
  plugin: { type: 'int', lookups: ['exact', 'in'], column: 'j.plugin_id' },
};
export const entryFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'e.id' },
  pluginresult: { type: 'int', lookups: ['exact', 'in'], column: 'e.result_id' },
  job: { type: 'int', lookups: ['exact', 'in'], column: 'r.job_id' },
};
export const resultAnnotationFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'ra.id' },
  pluginresultentry: { type: 'int', lookups: ['exact', 'in'], column: 'ra.entry_id' },
  job: { type: 'int', lookups: ['exact', 'in'], column: 'r.job_id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'j.image_id' },
  annotation_type: { type: 'int', lookups: ['exact', 'in'], column: 'ra.annotation_type_id' },
};
export const bitmapFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'b.id' },
  pluginresultentry: { type: 'int', lookups: ['exact', 'in'], column: 'b.entry_id' },
  job: { type: 'int', lookups: ['exact', 'in'], column: 'r.job_id' },
};

export interface ResultRow {
  id: number;
  job_id: number;
  plugin_id: number;
  image_id: number;
  created_time: string;
  completed_time: string | null;
  entries: number[];
}
export interface EntryRow {
  id: number;
  result_id: number;
  name: string;
  visible: boolean;
  created_time: string;
  annotation_results: number[];
  bitmap_results: number[];
}
export interface ResultAnnotationRow {
  id: number;
  entry_id: number;
  image_id: number;
  annotation_type_id: number;
  vector: Record<string, number>;
  score: number | null;
  annotation_uuid: string;
  created_time: string;
}
export interface BitmapRow {
  id: number;
  entry_id: number;
  image_id: number;
  name: string;
  channels: number;
  frame: number;
  meta_data: unknown;
  created_time: string;
}

export interface UnwrittenProposal {
  id: number;
  job_id: number;
  image_id: number;
  creator_id: number | null;
  annotation_type_id: number;
  vector: Record<string, number>;
  score: number | null;
  annotation_uuid: string;
  withdrawn: boolean;
}

const JOBS =
  'JOIN plugin_jobs j ON j.id = r.job_id JOIN images i ON i.id = j.image_id JOIN image_sets s ON s.id = i.image_set_id';

/** A job's results: one result, its named entries, the proposals and bitmaps of each entry. */
export class PluginResultsRepo {
  constructor(private readonly db: Queryable) {}

  private visible(viewer: ListViewer, spec: FilterSpec, filters: readonly ParsedFilter[]): SqlConditions {
    const q = new SqlConditions();
    if (spec === resultAnnotationFilters) q.add('NOT ra.withdrawn');
    q.add(pluginJobVisible(q, viewer, 'j', 's'));
    return q.addFilters(spec, filters);
  }

  async listResults(viewer: ListViewer, filters: readonly ParsedFilter[], page: Page) {
    return listPage<ResultRow>(this.db, {
      select: () => `r.id, r.job_id, j.plugin_id, j.image_id, r.created_time, r.completed_time,
        ARRAY(SELECT e.id FROM plugin_result_entries e WHERE e.result_id = r.id ORDER BY e.id) AS entries`,
      from: `plugin_results r ${JOBS}`,
      conditions: this.visible(viewer, resultFilters, filters),
      orderBy: 'r.id',
      page,
    });
  }

  async listEntries(viewer: ListViewer, filters: readonly ParsedFilter[], page: Page) {
    return listPage<EntryRow>(this.db, {
      select: () => `e.id, e.result_id, e.name, e.visible, e.created_time,
        ARRAY(SELECT a.id FROM plugin_result_annotations a WHERE a.entry_id = e.id AND NOT a.withdrawn
          ORDER BY a.id) AS annotation_results,
        ARRAY(SELECT b.id FROM plugin_result_bitmaps b WHERE b.entry_id = e.id ORDER BY b.id) AS bitmap_results`,
      from: `plugin_result_entries e JOIN plugin_results r ON r.id = e.result_id ${JOBS}`,
      conditions: this.visible(viewer, entryFilters, filters),
      orderBy: 'e.id',
      page,
    });
  }

  async listAnnotations(viewer: ListViewer, filters: readonly ParsedFilter[], page: Page) {
    return listPage<ResultAnnotationRow>(this.db, {
      select: () => `ra.id, ra.entry_id, j.image_id, ra.annotation_type_id, ra.vector, ra.score,
        ra.annotation_uuid, ra.created_time`,
      from: `plugin_result_annotations ra JOIN plugin_result_entries e ON e.id = ra.entry_id
        JOIN plugin_results r ON r.id = e.result_id ${JOBS}`,
      conditions: this.visible(viewer, resultAnnotationFilters, filters),
      orderBy: 'ra.id',
      page,
    });
  }

  async listBitmaps(viewer: ListViewer, filters: readonly ParsedFilter[], page: Page) {
    return listPage<BitmapRow>(this.db, {
      select: () => 'b.id, b.entry_id, j.image_id, b.name, b.channels, b.frame, b.meta_data, b.created_time',
      from: `plugin_result_bitmaps b JOIN plugin_result_entries e ON e.id = b.entry_id
        JOIN plugin_results r ON r.id = e.result_id ${JOBS}`,
      conditions: this.visible(viewer, bitmapFilters, filters),
      orderBy: 'b.id',
      page,
    });
  }

  async bitmapBytes(id: number): Promise<Buffer | undefined> {
    const rows = await this.db.query<{ bitmap: Buffer }>(
      'SELECT bitmap FROM plugin_result_bitmaps WHERE id = $1',
      [id],
    );
    return rows[0]?.bitmap;
  }

  /** The job an entry belongs to (for the write checks). */
  async jobOfEntry(entryId: number): Promise<number | undefined> {
    const rows = await this.db.query<{ job_id: number }>(
      'SELECT r.job_id FROM plugin_result_entries e JOIN plugin_results r ON r.id = e.result_id WHERE e.id = $1',
      [entryId],
    );
    return rows[0]?.job_id;
  }

  async jobOfResult(resultId: number): Promise<number | undefined> {
    const rows = await this.db.query<{ job_id: number }>('SELECT job_id FROM plugin_results WHERE id = $1', [
      resultId,
    ]);
    return rows[0]?.job_id;
  }

  /** The job's result, made on first use (a host job's proposals and an EXACT worker's POST alike). */
  async ensureResult(jobId: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO plugin_results (job_id) VALUES ($1)
       ON CONFLICT (job_id) DO UPDATE SET job_id = EXCLUDED.job_id RETURNING id`,
      [jobId],
    );
    return insertedId(rows);
  }

  async insertResult(jobId: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO plugin_results (job_id) VALUES ($1) RETURNING id',
      [jobId],
    );
    return insertedId(rows);
  }

  async completeResult(jobId: number): Promise<void> {
    await this.db.query('UPDATE plugin_results SET completed_time = now() WHERE job_id = $1', [jobId]);
  }

  /** The entry of this name in the result, made on first use. */
  async ensureEntry(resultId: number, name: string): Promise<number> {
    const found = await this.db.query<{ id: number }>(
      'SELECT id FROM plugin_result_entries WHERE result_id = $1 AND name = $2 ORDER BY id LIMIT 1',
      [resultId, name],
    );
    return found[0]?.id ?? this.insertEntry(resultId, name, true);
  }

  async insertEntry(resultId: number, name: string, visible: boolean): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO plugin_result_entries (result_id, name, visible) VALUES ($1, $2, $3) RETURNING id',
      [resultId, name, visible],
    );
    return insertedId(rows);
  }

  async insertAnnotations(
    entryId: number,
    items: readonly { type: number; vector: Record<string, number>; score: number | null; uuid: string }[],
  ): Promise<number[]> {
    if (items.length === 0) return [];
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO plugin_result_annotations (entry_id, annotation_type_id, vector, score, annotation_uuid)
       SELECT $1, t.type, t.vector, t.score, t.uuid
       FROM jsonb_to_recordset($2::jsonb) AS t(type integer, vector jsonb, score float8, uuid uuid)
       RETURNING id`,
      [entryId, JSON.stringify(items)],
    );
    return rows.map((r) => r.id);
  }

  /** Proposals not yet in the live document, oldest first, with the job that made them. */
  async unwritten(limit: number): Promise<UnwrittenProposal[]> {
    return this.db.query<UnwrittenProposal>(
      `SELECT ra.id, r.job_id, j.image_id, j.creator_id, ra.annotation_type_id, ra.vector, ra.score, ra.annotation_uuid,
         ra.withdrawn
       FROM plugin_result_annotations ra JOIN plugin_result_entries e ON e.id = ra.entry_id
         JOIN plugin_results r ON r.id = e.result_id JOIN plugin_jobs j ON j.id = r.job_id
       WHERE NOT ra.written ORDER BY ra.id LIMIT $1`,
      [limit],
    );
  }

  /**
   * A job runs again: its earlier proposals go. Those never written are dropped; those in the live
   * document are withdrawn, to be written again as deleted.
   */
  async withdrawJob(jobId: number): Promise<void> {
    const ofJob = `entry_id IN (SELECT e.id FROM plugin_result_entries e JOIN plugin_results r ON r.id = e.result_id
      WHERE r.job_id = $1)`;
    await this.db.query(
      `DELETE FROM plugin_result_annotations WHERE ${ofJob} AND NOT written AND NOT withdrawn`,
      [jobId],
    );
    await this.db.query(
      `UPDATE plugin_result_annotations SET withdrawn = true, written = false WHERE ${ofJob} AND NOT withdrawn`,
      [jobId],
    );
  }

  async markWritten(ids: readonly number[]): Promise<void> {
    await this.db.query('UPDATE plugin_result_annotations SET written = true WHERE id = ANY ($1::int[])', [
      ids,
    ]);
  }

  /** Proposals that could not be written (the type left the set, the creator lost the right): dropped. */
  async remove(ids: readonly number[]): Promise<void> {
    await this.db.query('DELETE FROM plugin_result_annotations WHERE id = ANY ($1::int[])', [ids]);
  }

  async insertBitmap(
    entryId: number,
    b: { name: string; channels: number; frame: number; meta_data: unknown; bitmap: Buffer },
  ): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO plugin_result_bitmaps (entry_id, name, channels, frame, meta_data, bitmap)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
      [
        entryId,
        b.name,
        b.channels,
        b.frame,
        b.meta_data === undefined ? null : JSON.stringify(b.meta_data),
        b.bitmap,
      ],
    );
    return insertedId(rows);
  }
}
