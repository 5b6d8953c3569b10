import type { JobPlugin } from './plugin-api.js';
import type { LoadedPlugin } from './plugin-manifest.js';
import { annotationStatistics } from '../plugins/builtin/annotation-statistics/annotation-statistics.js';

/**
 * The built-in job plugins, one line each. Each runs through the same plugin API as a plugin from the
 * plugins folder (plugin-api.ts) and is listed in `processing/plugins/` under its name.
 */
export const builtinJobPlugins: readonly JobPlugin[] = [];

/** The built-in plugins with more than a job (statistics, routes, panels). */
export const builtinPlugins: readonly LoadedPlugin[] = [annotationStatistics];

/** Every built-in, a bare job plugin as a plugin of its own name. */
export function allBuiltins(): LoadedPlugin[] {
  return [
    ...builtinPlugins,
    ...builtinJobPlugins.map((job) => ({
      manifest: {
        name: job.name,
        version: '1.0.0',
        description: job.description,
        author: 'Tessera',
        main: `${job.name}.js`,
        overlays: [],
      },
      contribution: { jobs: [job] },
      folder: null,
    })),
  ];
}
