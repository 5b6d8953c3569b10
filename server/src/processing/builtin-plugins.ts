import type { JobPlugin } from './plugin-api.js';
import type { LoadedPlugin } from './plugin-manifest.js';
import { cellDetectorPlugin } from './detector/cell-detector.plugin.js';
import { eiphScorePlugin } from './eiph/eiph-score.plugin.js';
import { onnxModelPlugin, type ModelSource } from './onnx/onnx-model.plugin.js';
import { annotationStatistics } from '../plugins/builtin/annotation-statistics/annotation-statistics.js';

/**
 * The built-in job plugins, one line each. Each runs through the same plugin API as a plugin from the
 * plugins folder (plugin-api.ts) and is listed in `processing/plugins/` under its name.
 */
export function builtinJobPlugins(models: ModelSource): readonly JobPlugin[] {
  return [cellDetectorPlugin, eiphScorePlugin, onnxModelPlugin(models)];
}

/** The built-in plugins with more than a job (statistics, routes, panels). */
export const builtinPlugins: readonly LoadedPlugin[] = [annotationStatistics];

/** Every built-in, a bare job plugin as a plugin of its own name; `models` are the team's ONNX models. */
export function allBuiltins(models: ModelSource): LoadedPlugin[] {
  return [
    ...builtinPlugins,
    ...builtinJobPlugins(models).map((job) => ({
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
