// Algorithm proposals (annotations created with `generated: true`) as the workspace shows them, as
// plain functions of the records and verdicts. Accepting a proposal is the reviewer's agree verdict and
// rejecting it a disagree verdict (the document keeps one per user, with its time); the annotation stays
// `generated` (it records where the shape came from, as in EXACT) and is drawn as an ordinary one once
// accepted.
import type { AnnotationRecord } from '@tessera/shared';
import type { ShapeLook } from './overlay-renderer';
import type { Verdicts } from './verdict-index';

export type ProposalState = 'pending' | 'accepted' | 'rejected';

/**
 * Whether an annotation is an algorithm's proposal: created with `generated` true. The one test the
 * proposal panel, its drawing and the list's "Generated" review filter share.
 */
export function isProposal(record: AnnotationRecord): boolean {
  return record.created.generated;
}

/** How proposals are shown: the score below which pending ones hide, and whether rejected ones show. */
export interface ProposalView {
  readonly threshold: number | null;
  readonly showRejected: boolean;
}

/**
 * Where a proposal stands for `viewer`: their own verdict decides; without one, the latest verdict of
 * anyone else (so a colleague's review carries over); without any, it is pending.
 */
export function proposalState(verdicts: Verdicts | undefined, viewer: number): ProposalState {
  if (verdicts === undefined || verdicts.size === 0) return 'pending';
  const own = verdicts.get(viewer);
  let decisive = own;
  if (decisive === undefined) {
    for (const v of verdicts.values()) if (decisive === undefined || v.at > decisive.at) decisive = v;
  }
  if (decisive === undefined) return 'pending';
  return decisive.verified ? 'accepted' : 'rejected';
}

/**
 * Whether a score clears the threshold. Proposals without a score are never hidden by it (there is
 * nothing to compare), and never accepted in bulk either (see `acceptableInView`).
 */
export function clearsThreshold(score: number | null, threshold: number | null): boolean {
  return score === null || threshold === null || score >= threshold;
}

/**
 * How an annotation is drawn: people's annotations and accepted proposals solid; pending proposals
 * dashed unless under the threshold (then hidden); rejected ones hidden unless asked for.
 */
export function lookOf(record: AnnotationRecord, state: ProposalState, view: ProposalView): ShapeLook {
  if (!isProposal(record) || state === 'accepted') return 'solid';
  if (state === 'rejected') return view.showRejected ? 'rejected' : 'hidden';
  return clearsThreshold(record.created.score, view.threshold) ? 'proposal' : 'hidden';
}

/**
 * The proposals among `shapes` that a bulk accept takes: pending, with a score at or above the
 * threshold (those without a score are left for one-by-one review).
 */
export function acceptableInView(
  shapes: Iterable<{ readonly id: string; readonly record: AnnotationRecord }>,
  stateOf: (id: string) => ProposalState,
  threshold: number | null,
): string[] {
  const ids: string[] = [];
  for (const { id, record } of shapes) {
    const score = record.created.score;
    if (!isProposal(record) || score === null) continue;
    if (threshold !== null && score < threshold) continue;
    if (stateOf(id) === 'pending') ids.push(id);
  }
  return ids;
}

/** Counts of proposals by state, and the range of their scores (null when none has a score). */
export interface ProposalSummary {
  pending: number;
  accepted: number;
  rejected: number;
  scores: { min: number; max: number } | null;
}

/** Summarises the proposals among `records`. */
export function summarise(
  records: Iterable<{ readonly id: string; readonly record: AnnotationRecord }>,
  stateOf: (id: string) => ProposalState,
): ProposalSummary {
  const summary: ProposalSummary = { pending: 0, accepted: 0, rejected: 0, scores: null };
  for (const { id, record } of records) {
    if (!isProposal(record)) continue;
    summary[stateOf(id)]++;
    const score = record.created.score;
    if (score === null) continue;
    summary.scores =
      summary.scores === null
        ? { min: score, max: score }
        : { min: Math.min(summary.scores.min, score), max: Math.max(summary.scores.max, score) };
  }
  return summary;
}
