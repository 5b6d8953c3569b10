import type { RestPluginJob } from '@tessera/shared';
import type { z } from 'zod';
import type { restPluginJobUpdate, restPluginJobWrite } from '@tessera/shared';
import { requireOnImageSet } from '../access/policy/enforce.js';
import { invalidPk } from '../access/team-access.js';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import type { ImagesService } from '../resources/images/images.service.js';
import { requireJob } from './job-access.js';
import type { PluginRegistry } from './plugin-registry.js';
import { PluginJobsRepo, pluginJobFilters, type PluginJobRow } from './plugin-jobs.repo.js';
import { PluginsRepo } from './plugins.repo.js';

type JobWrite = z.infer<typeof restPluginJobWrite>;
type JobUpdate = z.infer<typeof restPluginJobUpdate>;

/**
 * EXACT's `processing/pluginjobs/`: a job runs one plugin on one image. Whoever may annotate the image
 * starts one (where the plugin is enabled); its creator or a team admin cancels or retries it; the
 * worker holding it (an EXACT-style worker, as a team admin or superuser) reports progress and errors.
 */
export class PluginJobsService extends ResourceService<RestPluginJob> {
  readonly name = 'plugin_jobs';
  readonly filters = pluginJobFilters;
  readonly relations = { plugin: 'plugins', image: 'images', creator: 'users' };

  constructor(
    private readonly db: Database,
    private readonly images: ImagesService,
    private readonly registry: PluginRegistry,
    private readonly onQueued: () => void,
  ) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new PluginJobsRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map(presentJob) };
  }

  async create(viewer: Viewer, input: JobWrite): Promise<number> {
    const image = await this.images.find(viewer, input.image);
    if (!image) throw invalidPk('image', input.image);
    await requireOnImageSet(
      this.db,
      viewer,
      image.image_set,
      'image.annotate',
      'You may not run plugins on this image.',
    );
    const plugins = new PluginsRepo(this.db);
    const plugin = await plugins.byId(input.plugin);
    if (!plugin) throw invalidPk('plugin', input.plugin);
    let settings: unknown = input.settings;
    if (plugin.runner === 'host') {
      const job = this.registry.jobPlugin(plugin.package);
      if (!job) throw AppError.invalidField('plugin', `The plugin ${plugin.package} runs no jobs here.`);
      const parsed = job.settings.safeParse(input.settings);
      if (!parsed.success)
        throw AppError.invalidField(
          'settings',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      settings = parsed.data;
    }
    if (!(await this.enabled(plugin, image.image_set)))
      throw AppError.invalidField(
        'plugin',
        `The plugin ${plugin.package} is not enabled for this image set or its products.`,
      );
    const id = await new PluginJobsRepo(this.db).enqueue({
      pluginId: plugin.id,
      imageId: image.id,
      creatorId: viewer.id,
      settings,
    });
    this.onQueued();
    return id;
  }

  /** Stops a queued or running job; a running one stops at its next heartbeat or progress report. */
  async cancel(viewer: Viewer, id: number): Promise<void> {
    await requireJob(this.db, viewer, id, 'plugin_job.own-or-administer');
    if (!(await new PluginJobsRepo(this.db).cancel(id)))
      throw AppError.conflict('The job has ended already.');
  }

  /** Runs a failed or cancelled job again from the start. */
  async retry(viewer: Viewer, id: number): Promise<void> {
    await requireJob(this.db, viewer, id, 'plugin_job.own-or-administer');
    if (!(await new PluginJobsRepo(this.db).retry(id)))
      throw AppError.conflict('Only a failed or cancelled job runs again.');
    this.onQueued();
  }

  /** What a worker writes on a job it holds: its name, progress, an error. */
  async updateByWorker(viewer: Viewer, id: number, input: Partial<JobUpdate>): Promise<void> {
    const job = await requireJob(this.db, viewer, id, 'plugin_job.administer');
    // A cancelled job's worker learns here that it should stop; a done one may still detach.
    if (job.state === 'cancelled') throw AppError.conflict('The job is cancelled; it takes no more reports.');
    // updated_time, which EXACT's workers send along, is the server's own clock here.
    await new PluginJobsRepo(this.db).updateByWorker(id, {
      attached_worker: input.attached_worker,
      processing_complete: input.processing_complete,
      error_message: input.error_message,
      error_detail: input.error_detail,
    });
  }

  private async enabled(plugin: { id: number; package: string }, imageSetId: number): Promise<boolean> {
    const repo = new PluginsRepo(this.db);
    if (await repo.enabledFor(plugin.id, imageSetId)) return true;
    const owner = this.registry.pluginOfJob(plugin.package);
    const ownerRow =
      owner === undefined || owner === plugin.package ? undefined : await repo.byPackage(owner);
    return ownerRow !== undefined && (await repo.enabledFor(ownerRow.id, imageSetId));
  }
}

/** A job row as EXACT's plugin job object. */
export function presentJob(row: PluginJobRow): RestPluginJob {
  return {
    id: row.id,
    plugin: row.plugin_id,
    image: row.image_id,
    creator: row.creator_id,
    state: row.state,
    processing_complete: row.processing_complete,
    attached_worker: row.attached_worker,
    created_time: formatTimestamp(row.created_time) ?? '',
    updated_time: formatTimestamp(row.updated_time) ?? '',
    started_time: formatTimestamp(row.started_time),
    finished_time: formatTimestamp(row.finished_time),
    eta_time: formatTimestamp(row.eta_time),
    error_message: row.error_message,
    error_detail: row.error_detail,
    summary: row.summary,
    settings: row.settings,
    result: row.result_id,
  };
}
