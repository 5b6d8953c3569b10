// Second opinion over the workspace's verdict mirror (verdict-index.ts): what the verdicts on an
// annotation add up to under the set's rule (shared's reviewTally: verdicts by others than the
// creator, `required` of them) and whether it still needs this reviewer.
import {
  reviewTally,
  needsOpinionOf,
  type ReviewStatus,
  type ReviewTally,
  type Verification,
} from '@tessera/shared';
import type { IndexedAnnotation } from './annotation-index';
import type { VerdictIndex } from './verdict-index';

/** The review rule of a set applied to one document's verdicts, for one reviewer. */
export class ReviewState {
  constructor(
    readonly userId: number,
    readonly required: number,
    private readonly index: VerdictIndex,
  ) {}

  /** Grows with every change of a verdict (views recount when it moves). */
  get version(): number {
    return this.index.version;
  }

  /** Every verdict on an annotation, by user id. */
  verdicts(id: string): readonly Verification[] {
    return this.index.list(id);
  }

  /** This reviewer's own verdict: true accepted, false rejected, undefined none. */
  mine(id: string): boolean | undefined {
    return this.index.verdictOf(id, this.userId);
  }

  tally(a: IndexedAnnotation): ReviewTally {
    return reviewTally(a.record.created.by, this.byUser(a.id), this.required);
  }

  status(a: IndexedAnnotation): ReviewStatus {
    return this.tally(a).status;
  }

  /** Whether the annotation still needs this reviewer (the server's review queue, for this image). */
  needsMe(a: IndexedAnnotation): boolean {
    return needsOpinionOf(this.userId, a.record.created.by, this.byUser(a.id), this.required);
  }

  /** The verdicts without a list built (badges ask this of up to 1,500 shapes per frame). */
  private *byUser(id: string): Iterable<{ user: number; verified: boolean }> {
    const verdicts = this.index.of(id);
    if (verdicts === undefined) return;
    for (const [user, v] of verdicts) yield { user, verified: v.verified };
  }
}
