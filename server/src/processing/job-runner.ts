import { hostname } from 'node:os';
import type { Database } from '../db/database.js';
import { QueueLoop } from '../db/queue-loop.js';
import type { Logger } from '../logging/logger.js';
import { creatorViewer } from './job-creator.js';
import { createJobContext, type ContextDeps } from './job-context.js';
import type { PluginRegistry } from './plugin-registry.js';
import { PluginJobsRepo, type ClaimedJob } from './plugin-jobs.repo.js';
import { PluginResultsRepo } from './plugin-results.repo.js';

/** How often a running job tells the queue it is alive, and looks for a cancel. */
const HEARTBEAT_MS = 1_000;

export interface RunnerOptions {
  readonly pollMs: number;
  /** A running job whose worker sent no heartbeat for this long was left by a dead process. */
  readonly staleSeconds: number;
  /** How the worker names itself in `attached_worker`. */
  readonly name?: string;
}

/**
 * Works the plugin job queue (plugin-jobs.repo.ts): one job at a time per runner. Every server runs one
 * and `tessera worker` processes run more; `FOR UPDATE SKIP LOCKED` shares the queue between them.
 * A job holds its lock by heartbeats; one whose worker died goes back to the queue after
 * `staleSeconds`, and one in hand when the runner stops goes back at once.
 */
export class PluginJobRunner {
  private readonly loop: QueueLoop<ClaimedJob>;
  readonly name: string;

  constructor(
    private readonly db: Database,
    private readonly registry: PluginRegistry,
    private readonly deps: Omit<ContextDeps, 'onProgress' | 'db'>,
    private readonly logger: Logger,
    private readonly options: RunnerOptions,
  ) {
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    this.loop = new QueueLoop<ClaimedJob>(
      {
        what: 'plugin job',
        pollMs: options.pollMs,
        claim: () => this.claim(),
        work: (job, stopping) => this.runJob(job, stopping),
      },
      logger,
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Looks at the queue now instead of at the next poll (a job was just made). */
  kick(): void {
    this.loop.kick();
  }

  /** Aborts the job in hand (it goes back to the queue), then stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Each pass first takes back the jobs of dead workers and writes what other processes stored. */
  private async claim(): Promise<ClaimedJob | undefined> {
    const jobs = new PluginJobsRepo(this.db);
    const requeued = await jobs.requeueStale(this.options.staleSeconds);
    if (requeued > 0) this.logger.warn({ requeued }, 'requeued plugin jobs whose worker stopped');
    await this.deps.writeStored?.();
    const packages = this.registry.jobPackages();
    return packages.length > 0 ? await jobs.claim(packages, this.name) : undefined;
  }

  private async runJob(job: ClaimedJob, stopping: AbortSignal): Promise<void> {
    const jobs = new PluginJobsRepo(this.db);
    const log = this.logger.child({ pluginJob: job.id, plugin: job.plugin_package });
    const plugin = this.registry.jobPlugin(job.plugin_package);
    const creator = await creatorViewer(this.db, job.creator_id);
    if (!plugin || !creator) {
      await jobs.fail(
        job.id,
        plugin ? 'The job has no active creator to act as.' : 'The plugin is not loaded.',
        null,
      );
      return;
    }
    // Aborted by a cancel (seen at a heartbeat or a progress report) or by the runner stopping.
    const abort = new AbortController();
    const onStop = () => {
      abort.abort();
    };
    stopping.addEventListener('abort', onStop);
    // An object, not a let: flow analysis cannot see the callbacks that set it.
    const ended = { byCancel: false };
    const seen = (state: string | undefined) => {
      if (state !== 'running') {
        ended.byCancel = true;
        abort.abort();
      }
    };
    const heartbeat = setInterval(() => {
      jobs.heartbeat(job.id).then(seen, (error: unknown) => {
        log.warn({ err: error }, 'plugin job heartbeat failed');
      });
    }, HEARTBEAT_MS);
    try {
      // A job run again (after its worker died, or on retry) starts without the earlier run's proposals.
      await new PluginResultsRepo(this.db).withdrawJob(job.id);
      await this.deps.writeStored?.();
      const settings = plugin.settings.parse(job.settings);
      const context = await createJobContext(
        {
          ...this.deps,
          db: this.db,
          onProgress: async (f) => {
            seen(await jobs.progress(job.id, f * 100));
          },
        },
        { id: job.id, imageId: job.image_id, settings },
        creator,
        abort.signal,
      );
      const outcome = await plugin.run(context);
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.deps.writeStored?.();
      await jobs.finish(job.id, outcome.summary ?? null);
      log.info('plugin job done');
    } catch (error) {
      if (stopping.aborted && !ended.byCancel) {
        await jobs.release(job.id);
        log.info('plugin job put back in the queue: the worker is stopping');
      } else if (!ended.byCancel) {
        const message = error instanceof Error ? error.message : String(error);
        await jobs.fail(job.id, message, error instanceof Error ? (error.stack ?? null) : null);
        log.warn({ reason: message }, 'plugin job failed');
      }
    } finally {
      clearInterval(heartbeat);
      stopping.removeEventListener('abort', onStop);
    }
  }
}
