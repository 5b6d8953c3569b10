import type { ReviewDisagreement, ReviewItem, ReviewSummary } from '@tessera/shared';
import { requireOnImageSet } from '../../access/policy/enforce.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';
import { ReviewsRepo, type ReviewScope } from './reviews.repo.js';

type Page = { limit: number; offset: number };

/**
 * Second opinion over a set: what still needs the caller's verdict, where reviewers disagree, and how
 * far the review is. Verdicts themselves are verifications (`annotations/verifications/`, or the live
 * document); this only reads them, counting by the set's `required_verifications`.
 */
export class ReviewsService {
  constructor(private readonly db: Database) {}

  /** The annotations that still need the caller's opinion, in review order (README: the queue). */
  async queue(
    viewer: Viewer,
    imageSet: number,
    page: Page,
    o: { image?: number; after?: string } = {},
  ): Promise<{ count: number; rows: ReviewItem[] }> {
    const scope = await this.scope(viewer, imageSet, o.image);
    // Readers of a public set see its review but have no opinion to give (P3).
    await requireOnImageSet(
      this.db,
      viewer,
      imageSet,
      'image_set.verify',
      'You may read this image set but not review it.',
    );
    return new ReviewsRepo(this.db).queue(viewer, scope, page, o.after);
  }

  /** The disputed annotations of a set, with every verdict. */
  async disagreements(
    viewer: Viewer,
    imageSet: number,
    page: Page,
    o: { image?: number } = {},
  ): Promise<{ count: number; rows: ReviewDisagreement[] }> {
    const scope = await this.scope(viewer, imageSet, o.image);
    return new ReviewsRepo(this.db).disagreements(viewer, scope, page);
  }

  /** Annotations per review state, and how many need the caller. */
  async summary(viewer: Viewer, imageSet: number): Promise<ReviewSummary> {
    const scope = await this.scope(viewer, imageSet);
    const counts = await new ReviewsRepo(this.db).summary(viewer, scope);
    return { required_verifications: scope.required, ...counts };
  }

  /** The set as the viewer sees it (404 when they do not), with its required verdicts. */
  private async scope(
    viewer: Viewer,
    imageSet: number,
    image?: number,
  ): Promise<ReviewScope & { team: number }> {
    const { rows } = await new ImageSetsRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: imageSet },
    ]);
    const set = rows[0];
    if (!set) throw AppError.notFound();
    return {
      imageSet,
      team: set.team,
      required: set.required_verifications,
      reviewer: viewer.id,
      ...(image === undefined ? {} : { image }),
    };
  }
}
