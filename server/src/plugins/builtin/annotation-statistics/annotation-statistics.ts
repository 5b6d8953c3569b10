import { z } from 'zod';
import type { JobPlugin, PixelRegion, PluginAnnotation } from '../../../processing/plugin-api.js';
import type { LoadedPlugin, PluginStatistic } from '../../../processing/plugin-manifest.js';

/** Counts per annotation type name, and the total: generated proposals apart from human annotations. */
export function countByType(
  annotations: readonly PluginAnnotation[],
  types: readonly { id: number; name: string }[],
): Record<string, number> {
  const names = new Map(types.map((t) => [t.id, t.name]));
  const counts: Record<string, number> = { total: 0, generated: 0 };
  for (const a of annotations) {
    const name = names.get(a.annotationType) ?? `type ${a.annotationType}`;
    counts[name] = (counts[name] ?? 0) + 1;
    counts.total = (counts.total ?? 0) + 1;
    if (a.generated) counts.generated = (counts.generated ?? 0) + 1;
  }
  return counts;
}

const counts: PluginStatistic = {
  name: 'annotation-counts',
  description: 'Annotations per type over the image or the region in view (and how many were generated).',
  async compute(context, imageId, region) {
    return countByType(
      await context.listAnnotations(imageId, region),
      await context.annotationTypes(imageId),
    );
  },
};

const regionSetting = z
  .strictObject({ x: z.int(), y: z.int(), width: z.int().positive(), height: z.int().positive() })
  .optional();

/** The same counts as a job: its summary records them for the image (or a region) at one moment. */
const countJob: JobPlugin = {
  name: 'annotation-statistics',
  description: 'Counts the annotations of an image (or a region) per type and records them as the summary.',
  settings: z.strictObject({ region: regionSetting }).default({}),
  async run(context) {
    const { region } = context.job.settings as { region?: PixelRegion };
    await context.progress(0.1);
    const found = countByType(await context.listAnnotations(region), context.annotationTypes);
    await context.progress(1);
    return { summary: JSON.stringify(found) };
  },
};

/** The built-in annotation statistics: a statistic the workspace shows live, and the same as a job. */
export const annotationStatistics: LoadedPlugin = {
  manifest: {
    name: 'annotation-statistics',
    version: '1.0.0',
    description: 'Counts annotations per type over an image or a region.',
    author: 'Tessera',
    main: 'annotation-statistics.js',
    overlays: [],
  },
  contribution: { jobs: [countJob], statistics: [counts] },
  folder: null,
};
