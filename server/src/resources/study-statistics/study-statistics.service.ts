import type { StudyStatistics, StudyStatisticsQuery } from '@tessera/shared';
import { requireOnImageSet } from '../../access/policy/enforce.js';
import { isBlind } from '../../access/policy/modes.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import { StudyStatisticsRepo } from './study-statistics.repo.js';
import { readersOf, studyReport } from './study-report.js';

/** A visit longer than this counts this long: a tab left open is not reading. */
export const SESSION_CAP_MS = 60 * 60 * 1000;

/**
 * Study statistics of an image set for its team admins: readers' counts, time and agreement. Team
 * admins only, in every kind of set: the figures compare people, and time comes from their personal
 * log. A member of the team sees the set and gets 403; anyone who cannot see the set, 404.
 */
export class StudyStatisticsService {
  constructor(private readonly db: Database) {}

  async of(viewer: Viewer, imageSetId: number, query: StudyStatisticsQuery): Promise<StudyStatistics> {
    // P5: whoever sees the set (a member, a reader of a public set) but does not administer it, 403;
    // whoever does not see it, 404.
    const set = await requireOnImageSet(
      this.db,
      viewer,
      imageSetId,
      'image_set.administer',
      'Study statistics are for team admins.',
    );
    const repo = new StudyStatisticsRepo(this.db);
    const [annotations, imageActions, expectedReaders, images, annotationTypes] = await Promise.all([
      repo.annotations(imageSetId),
      repo.imageActions(imageSetId),
      repo.expectedReaders(set.team_id),
      repo.images(imageSetId),
      repo.annotationTypes(imageSetId),
    ]);
    return studyReport({
      imageSetId,
      blind: isBlind(set.collaboration_type),
      rule: { iouThreshold: query.iou_threshold, pointDistance: query.point_distance },
      sessionCapMs: SESSION_CAP_MS,
      annotations,
      imageActions,
      expectedReaders,
      usernames: await repo.usernames(readersOf({ annotations, expectedReaders })),
      images,
      annotationTypes,
    });
  }
}
