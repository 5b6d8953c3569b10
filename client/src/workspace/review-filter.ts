// The annotation list's review filter: by what the verdicts add up to, by whether the annotation still
// needs this reviewer, or algorithm proposals only.
import type { IndexedAnnotation } from './annotation-index';
import { isProposal } from './proposal-rules';
import type { ReviewState } from './review-state';

export type ReviewFilter =
  'all' | 'needs-me' | 'unverified' | 'verified' | 'rejected' | 'disputed' | 'generated';

/** The choices in the order the list offers them. */
export const REVIEW_FILTERS: readonly { value: ReviewFilter; label: string }[] = [
  { value: 'all', label: 'Any review state' },
  { value: 'needs-me', label: 'Needs my opinion' },
  { value: 'unverified', label: 'Unverified' },
  { value: 'verified', label: 'Verified' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'disputed', label: 'Disputed' },
  { value: 'generated', label: 'Generated (algorithm proposals)' },
];

/** The predicate of a review filter (unverified: no outcome yet and no dispute). */
export function reviewPredicate(
  filter: ReviewFilter,
  review: ReviewState,
): ((a: IndexedAnnotation) => boolean) | undefined {
  switch (filter) {
    case 'all':
      return undefined;
    case 'needs-me':
      return (a) => review.needsMe(a);
    case 'unverified':
      return (a) => review.status(a) === 'open';
    case 'generated':
      return (a) => isProposal(a.record);
    default:
      return (a) => review.status(a) === filter;
  }
}
