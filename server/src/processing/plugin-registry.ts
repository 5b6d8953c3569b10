import type { Queryable } from '../db/database.js';
import type { JobPlugin } from './plugin-api.js';
import type { LoadedPlugin, PluginRoute, PluginStatistic } from './plugin-manifest.js';
import { PluginsRepo } from './plugins.repo.js';

/**
 * The plugins this process runs, built-in and from the plugins folder, by name. Job plugins are
 * EXACT's plugins: each has a row in `plugins` under its name (the package), so jobs name it by id.
 */
export class PluginRegistry {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly jobs = new Map<string, JobPlugin>();
  private readonly listeners: ((plugin: LoadedPlugin) => void)[] = [];

  /** Adds a plugin; a name already taken (of a plugin or of a job plugin) is refused. */
  register(plugin: LoadedPlugin): void {
    const name = plugin.manifest.name;
    if (this.plugins.has(name)) throw new Error(`a plugin named ${name} is already loaded`);
    for (const job of plugin.contribution.jobs ?? []) {
      if (this.jobs.has(job.name))
        throw new Error(`plugin ${name}: a job plugin named ${job.name} exists already`);
    }
    this.plugins.set(name, plugin);
    for (const job of plugin.contribution.jobs ?? []) this.jobs.set(job.name, job);
    for (const listener of this.listeners) listener(plugin);
  }

  /** Calls `listener` for every plugin, registered now or later (the routes mount this way). */
  onRegister(listener: (plugin: LoadedPlugin) => void): void {
    this.listeners.push(listener);
    for (const plugin of this.plugins.values()) listener(plugin);
  }

  all(): LoadedPlugin[] {
    return [...this.plugins.values()];
  }

  byName(name: string): LoadedPlugin | undefined {
    return this.plugins.get(name);
  }

  jobPlugin(pkg: string): JobPlugin | undefined {
    return this.jobs.get(pkg);
  }

  /** The plugin a job plugin belongs to (enabling the plugin enables its jobs). */
  pluginOfJob(pkg: string): string | undefined {
    return this.all().find((p) => (p.contribution.jobs ?? []).some((job) => job.name === pkg))?.manifest.name;
  }

  /** The packages of the job plugins this process can run: what its workers claim. */
  jobPackages(): string[] {
    return [...this.jobs.keys()];
  }

  routes(): { plugin: string; route: PluginRoute }[] {
    return this.all().flatMap((p) =>
      (p.contribution.routes ?? []).map((route) => ({ plugin: p.manifest.name, route })),
    );
  }

  statistics(): { plugin: string; statistic: PluginStatistic }[] {
    return this.all().flatMap((p) =>
      (p.contribution.statistics ?? []).map((statistic) => ({ plugin: p.manifest.name, statistic })),
    );
  }

  /** Writes a `plugins` row for every job plugin (kept across restarts by its package name). */
  async sync(db: Queryable): Promise<void> {
    const repo = new PluginsRepo(db);
    for (const plugin of this.all()) {
      const jobs = plugin.contribution.jobs ?? [];
      // The plugin itself has a row (it is enabled by it), unless its one job carries its name.
      if (!jobs.some((job) => job.name === plugin.manifest.name)) {
        await repo.upsertHost({
          name: plugin.manifest.name,
          package: plugin.manifest.name,
          author: plugin.manifest.author,
          contact: '',
          abouturl: '',
          icon: '',
          description: plugin.manifest.description,
        });
      }
      for (const job of jobs) {
        await repo.upsertHost({
          name: job.name,
          package: job.name,
          author: plugin.manifest.author,
          contact: '',
          abouturl: '',
          icon: '',
          description: job.description,
        });
      }
    }
  }
}
