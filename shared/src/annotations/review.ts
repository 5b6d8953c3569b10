// Second opinion: what the verdicts on an annotation add up to. One rule for the workspace (which
// reads the live document) and the server (whose SQL in resources/reviews says the same, checked
// by its db tests against these cases).

/** One person's verdict: `verified` true accepts the annotation, false rejects it. */
export interface Verdict {
  readonly user: number;
  readonly verified: boolean;
}

/**
 * - `verified`: at least `required` people other than the creator accepted it, and nobody rejected it;
 * - `rejected`: at least `required` people other than the creator rejected it, and nobody accepted it;
 * - `disputed`: some of them accepted it and some rejected it (whatever the count);
 * - `open`: fewer than `required` verdicts, all alike (or none).
 */
export type ReviewStatus = 'open' | 'verified' | 'rejected' | 'disputed';

/** What the verdicts of people other than the creator add up to. */
export interface ReviewTally {
  readonly status: ReviewStatus;
  /** Accepting verdicts by others than the creator. */
  readonly accepts: number;
  /** Rejecting verdicts by others than the creator. */
  readonly rejects: number;
}

/** Counts the verdicts on an annotation; the creator's own verdict never counts. */
export function reviewTally(
  creator: number | null,
  verdicts: Iterable<Verdict>,
  required: number,
): ReviewTally {
  let accepts = 0;
  let rejects = 0;
  for (const v of verdicts) {
    if (v.user === creator) continue;
    if (v.verified) accepts++;
    else rejects++;
  }
  const status: ReviewStatus =
    accepts > 0 && rejects > 0
      ? 'disputed'
      : accepts >= required
        ? 'verified'
        : rejects >= required
          ? 'rejected'
          : 'open';
  return { status, accepts, rejects };
}

/**
 * Whether an annotation still needs `user`'s opinion: not their own, not judged by them yet, and
 * fewer than `required` verdicts by others so far (a dispute below that count still wants opinions).
 */
export function needsOpinionOf(
  user: number,
  creator: number | null,
  verdicts: Iterable<Verdict>,
  required: number,
): boolean {
  if (user === creator) return false;
  let counted = 0;
  for (const v of verdicts) {
    if (v.user === user) return false;
    if (v.user !== creator) counted++;
  }
  return counted < required;
}
