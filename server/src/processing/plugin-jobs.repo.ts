import type { Queryable } from '../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { insertedId } from '../db/inserted-id.js';
import { listPage } from '../db/list-query.js';
import { pluginJobVisible } from '../access/policy/visibility.js';
import type { ListViewer } from '../resources/users/users.repo.js';

export const pluginJobFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'j.id' },
  plugin: { type: 'int', lookups: ['exact', 'in'], column: 'j.plugin_id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'j.image_id' },
  creator: { type: 'int', lookups: ['exact', 'in'], column: 'j.creator_id' },
  state: { type: 'text', lookups: ['exact', 'in'], column: 'j.state' },
};

/** The states of a plugin job (migration 0020's CHECK). */
export type PluginJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface PluginJobRow {
  id: number;
  plugin_id: number;
  plugin_package: string;
  image_id: number;
  image_set_id: number;
  creator_id: number | null;
  settings: unknown;
  state: PluginJobState;
  processing_complete: number;
  attached_worker: string | null;
  attempts: number;
  created_time: string;
  updated_time: string;
  started_time: string | null;
  finished_time: string | null;
  eta_time: string | null;
  error_message: string | null;
  error_detail: string | null;
  summary: string | null;
  result_id: number | null;
}

/** A claimed job: what a worker needs to run it. */
export interface ClaimedJob {
  id: number;
  plugin_package: string;
  image_id: number;
  creator_id: number | null;
  settings: unknown;
  attempts: number;
}

const COLUMNS = `j.id, j.plugin_id, p.package AS plugin_package, j.image_id, i.image_set_id, j.creator_id, j.settings,
  j.state, j.processing_complete, j.attached_worker, j.attempts, j.created_time, j.updated_time, j.started_time,
  j.finished_time, j.eta_time, j.error_message, j.error_detail, j.summary,
  (SELECT r.id FROM plugin_results r WHERE r.job_id = j.id) AS result_id`;
const FROM = `plugin_jobs j JOIN plugins p ON p.id = j.plugin_id JOIN images i ON i.id = j.image_id
  JOIN image_sets s ON s.id = i.image_set_id`;

/**
 * The plugin job queue in PostgreSQL, as the image jobs (ingest/jobs.repo.ts): `FOR UPDATE SKIP
 * LOCKED` lets any number of server and worker processes share it; it survives restarts.
 */
export class PluginJobsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(pluginJobVisible(q, viewer, 'j', 's'));
    q.addFilters(pluginJobFilters, filters);
    return listPage<PluginJobRow>(this.db, {
      select: () => COLUMNS,
      from: FROM,
      conditions: q,
      orderBy: 'j.id',
      page,
    });
  }

  /** One job whoever asks (the workers' and the policy checks' read). */
  async byId(id: number): Promise<PluginJobRow | undefined> {
    const rows = await this.db.query<PluginJobRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE j.id = $1`, [id]);
    return rows[0];
  }

  /** The active annotation types of the products attached to the image's set (the write path's rule). */
  async typesOfImage(imageId: number) {
    return this.db.query<{ id: number; name: string; vector_type: number }>(
      `SELECT DISTINCT t.id, t.name, t.vector_type FROM images i
       JOIN product_image_sets p ON p.image_set_id = i.image_set_id
       JOIN annotation_types t ON t.product_id = p.product_id
       WHERE i.id = $1 AND t.active ORDER BY t.id`,
      [imageId],
    );
  }

  /** The pyramid levels the tiler recorded when it inspected the image. */
  async levelsOf(imageId: number): Promise<{ width: number; height: number; downsample: number }[]> {
    const rows = await this.db.query<{ levels: unknown }>('SELECT levels FROM images WHERE id = $1', [
      imageId,
    ]);
    const levels = rows[0]?.levels;
    return Array.isArray(levels) ? (levels as { width: number; height: number; downsample: number }[]) : [];
  }

  async enqueue(job: {
    pluginId: number;
    imageId: number;
    creatorId: number;
    settings: unknown;
  }): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO plugin_jobs (plugin_id, image_id, creator_id, settings) VALUES ($1, $2, $3, $4::jsonb) RETURNING id',
      [job.pluginId, job.imageId, job.creatorId, JSON.stringify(job.settings ?? {})],
    );
    await this.db.query("SELECT pg_notify('tessera_plugin_jobs', '')");
    return insertedId(rows);
  }

  /** Claims the oldest queued job of a plugin this worker runs; other workers skip it while it is locked. */
  async claim(packages: readonly string[], worker: string): Promise<ClaimedJob | undefined> {
    const rows = await this.db.query<ClaimedJob>(
      `UPDATE plugin_jobs j SET state = 'running', locked_at = now(), attempts = attempts + 1,
         attached_worker = $2, started_time = coalesce(started_time, now()), updated_time = now()
       FROM plugins p
       WHERE p.id = j.plugin_id AND j.id = (SELECT q.id FROM plugin_jobs q JOIN plugins qp ON qp.id = q.plugin_id
         WHERE q.state = 'queued' AND qp.package = ANY ($1::text[]) ORDER BY q.id FOR UPDATE OF q SKIP LOCKED LIMIT 1)
       RETURNING j.id, p.package AS plugin_package, j.image_id, j.creator_id, j.settings, j.attempts`,
      [packages, worker],
    );
    return rows[0];
  }

  /**
   * Progress 0-100 and the ETA it implies (the time spent so far, scaled to what is left); answers the
   * job's state, so a worker sees a cancel at its next report.
   */
  async progress(id: number, percent: number): Promise<PluginJobState | undefined> {
    const rows = await this.db.query<{ state: PluginJobState }>(
      `UPDATE plugin_jobs SET processing_complete = $2::real, updated_time = now(), locked_at = now(),
         eta_time = CASE WHEN $2::float8 > 0 AND started_time IS NOT NULL
           THEN now() + (now() - started_time) * ((100 - $2::float8) / $2::float8) END
       WHERE id = $1 RETURNING state`,
      [id, percent],
    );
    return rows[0]?.state;
  }

  /** The worker still holds the job (its lock is fresh); answers the state, so a cancel is seen. */
  async heartbeat(id: number): Promise<PluginJobState | undefined> {
    const rows = await this.db.query<{ state: PluginJobState }>(
      "UPDATE plugin_jobs SET locked_at = now() WHERE id = $1 AND state = 'running' RETURNING state",
      [id],
    );
    if (rows[0]) return rows[0].state;
    const current = await this.db.query<{ state: PluginJobState }>(
      'SELECT state FROM plugin_jobs WHERE id = $1',
      [id],
    );
    return current[0]?.state;
  }

  async finish(id: number, summary: string | null): Promise<void> {
    await this.db.query(
      `UPDATE plugin_jobs SET state = 'done', processing_complete = 100, summary = $2, finished_time = now(),
         updated_time = now(), eta_time = NULL, attached_worker = NULL WHERE id = $1 AND state = 'running'`,
      [id, summary],
    );
  }

  async fail(id: number, message: string, detail: string | null): Promise<void> {
    await this.db.query(
      `UPDATE plugin_jobs SET state = 'failed', error_message = $2, error_detail = $3, error_time = now(),
         finished_time = now(), updated_time = now(), eta_time = NULL, attached_worker = NULL
       WHERE id = $1 AND state IN ('queued', 'running')`,
      [id, message, detail],
    );
  }

  /** A job given up by a stopping worker goes back to the queue as it was (the attempt not counted). */
  async release(id: number): Promise<void> {
    await this.db.query(
      `UPDATE plugin_jobs SET state = 'queued', locked_at = NULL, attached_worker = NULL, processing_complete = 0,
         eta_time = NULL, attempts = greatest(attempts - 1, 0), updated_time = now()
       WHERE id = $1 AND state = 'running'`,
      [id],
    );
    await this.db.query("SELECT pg_notify('tessera_plugin_jobs', '')");
  }

  /** Jobs whose worker stopped reporting (it died) go back to the queue. */
  async requeueStale(olderThanSeconds: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE plugin_jobs j SET state = 'queued', locked_at = NULL, attached_worker = NULL, processing_complete = 0,
         eta_time = NULL, updated_time = now()
       FROM plugins p WHERE p.id = j.plugin_id AND p.runner = 'host' AND j.state = 'running'
         AND j.locked_at < now() - make_interval(secs => $1) RETURNING j.id`,
      [olderThanSeconds],
    );
    return rows.length;
  }

  async cancel(id: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE plugin_jobs SET state = 'cancelled', finished_time = now(), updated_time = now(), eta_time = NULL,
         attached_worker = NULL WHERE id = $1 AND state IN ('queued', 'running') RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /** A failed or cancelled job runs again from the start. */
  async retry(id: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE plugin_jobs SET state = 'queued', processing_complete = 0, attempts = 0, error_message = NULL,
         error_detail = NULL, error_time = NULL, finished_time = NULL, started_time = NULL, eta_time = NULL,
         summary = NULL, locked_at = NULL, attached_worker = NULL, updated_time = now()
       WHERE id = $1 AND state IN ('failed', 'cancelled') RETURNING id`,
      [id],
    );
    if (rows.length > 0) await this.db.query("SELECT pg_notify('tessera_plugin_jobs', '')");
    return rows.length > 0;
  }

  /**
   * What an EXACT-style worker writes (PATCH): its name, progress, an error. Attaching starts a queued
   * job, progress 100 finishes it and an error fails it, as EXACT's worker scripts mean them.
   */
  async updateByWorker(id: number, fields: WorkerUpdate): Promise<void> {
    const q = new SqlConditions();
    const sets = ['updated_time = now()'];
    if (fields.attached_worker !== undefined)
      sets.push(`attached_worker = ${q.param(fields.attached_worker)}`);
    if (fields.processing_complete !== undefined)
      sets.push(`processing_complete = ${q.param(fields.processing_complete)}`);
    if (fields.error_message !== undefined) sets.push(`error_message = ${q.param(fields.error_message)}`);
    if (fields.error_detail !== undefined) sets.push(`error_detail = ${q.param(fields.error_detail)}`);
    const next =
      typeof fields.error_message === 'string'
        ? 'failed'
        : (fields.processing_complete ?? 0) >= 100
          ? 'done'
          : typeof fields.attached_worker === 'string'
            ? 'running'
            : null;
    if (next !== null) {
      sets.push(`state = CASE WHEN state IN ('queued', 'running') THEN ${q.param(next)} ELSE state END`);
      if (next === 'running') sets.push('started_time = coalesce(started_time, now())');
      else sets.push('finished_time = now()', 'eta_time = NULL');
      if (next === 'failed') sets.push('error_time = now()');
    }
    await this.db.query(`UPDATE plugin_jobs SET ${sets.join(', ')} WHERE id = ${q.param(id)}`, q.params);
  }
}

/** The fields an EXACT-style worker changes on a job. */
export interface WorkerUpdate {
  attached_worker?: string | null;
  processing_complete?: number;
  error_message?: string | null;
  error_detail?: string | null;
}
