import { studyStatistics, studyStatisticsQuery } from '@tessera/shared';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import { idParams } from '../../api/path-params.js';
import { parseQuery } from '../../api/query-params.js';
import { studyStatisticsCsv } from './study-statistics.csv.js';
import type { StudyStatisticsService } from './study-statistics.service.js';

/** `images/image_sets/<id>/study_statistics/`: a study's figures per reader, as JSON or CSV. */
export function studyStatisticsEndpoints(statistics: StudyStatisticsService): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/images/image_sets/:id/study_statistics/',
      policy: 'image_set.administer',
      params: idParams,
      tag: 'image sets',
      summary: "Readers' annotation counts, time per image and agreement (team admins)",
      description:
        'Per reader: annotations per type and image, and time from the image action log (an opening ' +
        'closed again counts up to one hour; an opening never closed counts nothing). Blind sets: ' +
        "pairwise Cohen's kappa and F1, Fleiss' kappa for three or more readers, over annotations " +
        'matched greedily by bounding-box IoU (points: centre distance; image-level labels with each ' +
        'other), unmatched ones rated "none". ' +
        'format=csv: one row per reader and image.',
      response: studyStatistics,
      async handler({ viewer, params, query, ctx }) {
        const parsed = parseQuery(studyStatisticsQuery, query);
        const result = await statistics.of(viewer, params.id, parsed);
        if (parsed.format === 'json') return { body: result };
        ctx.status = 200;
        ctx.type = 'text/csv; charset=utf-8';
        ctx.attachment(`study_statistics_imageset_${params.id}.csv`);
        ctx.body = studyStatisticsCsv(result);
        return { streamed: true };
      },
    }),
  ];
}
