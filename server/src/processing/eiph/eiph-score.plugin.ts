import { eiphScore, gradeOfTypeName, type GradedCell } from '@tessera/shared';
import { z } from 'zod';
import { pixelRegionSchema, searchRegion } from '../job-region.js';
import type { JobPlugin, PluginAnnotation } from '../plugin-api.js';

const eiphSettings = z.object({ region: pixelRegionSchema.optional() }).strict();

/** The centre of an annotation's vector (the mean of its points). */
function centreOf(annotation: PluginAnnotation): { x: number; y: number } {
  const xs = Object.entries(annotation.vector).filter(([k]) => /^x\d+$/.test(k));
  const ys = Object.entries(annotation.vector).filter(([k]) => /^y\d+$/.test(k));
  const mean = (values: [string, number][]) =>
    values.reduce((sum, [, v]) => sum + v, 0) / Math.max(1, values.length);
  return { x: mean(xs), y: mean(ys) };
}

/**
 * The EIPH total hemosiderin score of a region (the whole image by default), from the annotations
 * of the image's types named by grade 0-4; the workspace shows the same score live for the view.
 */
export const eiphScorePlugin: JobPlugin = {
  name: 'EIPH score',
  description:
    'Total hemosiderin score after Doucet and Viel (2002): hemosiderophages graded 0-4 (annotation ' +
    'types named by grade) counted in a region, the sum of grade x percentage, 0-400, from 300 cells.',
  settings: eiphSettings,
  async run(context) {
    const s = eiphSettings.parse(context.job.settings);
    const region = searchRegion(context.image, s.region);
    const grades = new Map<number, number>();
    for (const type of context.annotationTypes) {
      const grade = gradeOfTypeName(type.name);
      if (grade !== null) grades.set(type.id, grade);
    }
    if (grades.size === 0) throw new Error('none of the image’s annotation types is named by a grade 0-4');
    const cells: GradedCell[] = [];
    for (const annotation of await context.listAnnotations(region)) {
      const grade = grades.get(annotation.annotationType);
      if (grade !== undefined) cells.push({ grade, ...centreOf(annotation) });
    }
    const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
    const result = eiphScore(cells, centre);
    await context.progress(1);
    return {
      summary:
        result.score === null
          ? 'EIPH score: no graded cells in the region'
          : `EIPH score ${result.score.toFixed(1)} from ${result.counted} cells (grades 0-4: ${result.counts.join(', ')})`,
    };
  },
};
