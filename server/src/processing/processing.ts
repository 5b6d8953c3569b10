import Router from '@koa/router';
import { mountEndpoints } from '../api/endpoint.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { TilerClient } from '../ingest/tiler.client.js';
import type { Logger } from '../logging/logger.js';
import type { AnnotationsService } from '../resources/annotations/annotations.service.js';
import type { ImagesService } from '../resources/images/images.service.js';
import type { ProductsService } from '../resources/products/products.service.js';
import { allBuiltins } from './builtin-plugins.js';
import type { ModelSource } from './onnx/onnx-model.plugin.js';
import { PluginJobRunner } from './job-runner.js';
import { PluginHostService } from './plugin-host.service.js';
import { PluginJobsService } from './plugin-jobs.service.js';
import { loadPluginFolder, type PluginProblem } from './plugin-loader.js';
import { PluginRegistry } from './plugin-registry.js';
import { PluginResultsService } from './plugin-results.service.js';
import { pluginRouteEndpoint } from './plugin-routes.js';
import { PluginEnablementsService, PluginsService } from './plugins.service.js';
import { ProposalWriter } from './proposal-writer.js';

export interface ProcessingDeps {
  readonly images: ImagesService;
  readonly annotations: AnnotationsService;
  readonly products: ProductsService;
  readonly tiler: TilerClient;
  /** The teams' uploaded ONNX models, for the built-in model runner. */
  readonly models: ModelSource;
}

/**
 * Processing of one process: the plugin registry (built-ins at once, the plugins folder by `load`),
 * the job runners, and the services behind EXACT's processing API.
 */
export function createProcessing(db: Database, config: Config, deps: ProcessingDeps, logger: Logger) {
  const registry = new PluginRegistry();
  for (const plugin of allBuiltins(deps.models)) registry.register(plugin);
  const writer = new ProposalWriter(db, deps.annotations, logger);
  const runnerDeps = { tiler: deps.tiler, images: deps.images, annotations: deps.annotations };
  const runnerOptions = { pollMs: config.jobPollMs, staleSeconds: config.pluginJobStaleSeconds };
  /** Runners in the server write proposals into the live documents themselves. */
  const runners = Array.from(
    { length: config.pluginWorkers },
    () =>
      new PluginJobRunner(
        db,
        registry,
        { ...runnerDeps, writeStored: () => writer.drain() },
        logger,
        runnerOptions,
      ),
  );
  const kick = () => {
    for (const runner of runners) runner.kick();
  };
  const host = new PluginHostService(db, registry, deps.images, deps.annotations, deps.tiler);
  // Folder plugins load after the API is assembled: their routes mount here as they register.
  const router = new Router({ prefix: '/api/v1' });
  registry.onRegister((plugin) => {
    if (plugin.folder === null) return;
    mountEndpoints(
      router,
      (plugin.contribution.routes ?? []).map((route) =>
        pluginRouteEndpoint(host, plugin.manifest.name, route),
      ),
    );
  });
  // The server writes what `tessera worker` processes stored (they hold no live documents).
  let drainTimer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  const drainOnce = () => {
    draining ??= writer
      .drain()
      .then(
        () => undefined,
        (error: unknown) => {
          logger.error({ err: error }, 'could not write stored proposals');
        },
      )
      .finally(() => {
        draining = undefined;
      });
  };
  return {
    registry,
    writer,
    router,
    host,
    plugins: new PluginsService(db),
    enablements: new PluginEnablementsService(db, deps.products),
    jobs: new PluginJobsService(db, deps.images, registry, kick),
    results: new PluginResultsService(db, writer),
    /** Loads the plugins folder (if any) and records every plugin in `plugins`; answers the failures. */
    async load(dir = config.pluginsDir): Promise<PluginProblem[]> {
      let problems: PluginProblem[] = [];
      if (dir !== undefined) {
        const loaded = await loadPluginFolder(dir, logger);
        problems = [...loaded.problems];
        for (const plugin of loaded.loaded) {
          try {
            registry.register(plugin);
          } catch (error) {
            problems.push({
              folder: plugin.folder ?? '',
              reason: error instanceof Error ? error.message : String(error),
            });
          }
        }
      }
      await registry.sync(db);
      for (const problem of problems) logger.error(problem, 'plugin not loaded');
      return problems;
    },
    /** Starts the in-process runners and the writing of proposals stored by worker processes. */
    start(): void {
      for (const runner of runners) runner.start();
      drainTimer ??= setInterval(drainOnce, config.jobPollMs);
    },
    async stop(): Promise<void> {
      clearInterval(drainTimer);
      drainTimer = undefined;
      await Promise.all(runners.map((runner) => runner.stop()));
      await draining;
    },
    /** A runner for a `tessera worker` process: it stores proposals, the server writes them. */
    workerRunner(name?: string): PluginJobRunner {
      return new PluginJobRunner(db, registry, runnerDeps, logger, {
        ...runnerOptions,
        ...(name ? { name } : {}),
      });
    },
  };
}
export type Processing = ReturnType<typeof createProcessing>;
