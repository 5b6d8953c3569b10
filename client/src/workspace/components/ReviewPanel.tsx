import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { ReviewStatus, ReviewSummary } from '@tessera/shared';
import { reviews } from '../../api/resources';
import type { WorkspaceController } from '../workspace-controller';
import { useUserNames } from './useUserNames';
import { useWorkspace } from './useWorkspace';

const STATUS_WORDS: Record<ReviewStatus, string> = {
  open: 'Open',
  verified: 'Verified',
  rejected: 'Rejected',
  disputed: 'Disputed',
};

/**
 * Second opinion: accept or reject the selection, go to the next annotation needing one's opinion,
 * and who judged the selected annotation how; how many still need the reviewer here and in the set.
 */
export function ReviewPanel(props: {
  controller: WorkspaceController;
  review: { judge(verified: boolean): void; next(): void };
}) {
  const { controller, review } = props;
  const s = useWorkspace(controller);
  const [only] = s.selection.size === 1 ? [...s.selection] : [];
  const item = only === undefined ? undefined : controller.index.get(only);
  const verdicts = only === undefined ? [] : controller.review.verdicts(only);
  const reviewers = useCallback(
    (c: WorkspaceController) => (only === undefined ? [] : c.review.verdicts(only).map((v) => v.user)),
    [only],
  );
  const names = useUserNames(controller, s.verdictVersion, reviewers);
  const version = useDeferredValue(s.version + s.verdictVersion);
  const needHere = useMemo(
    () => [...controller.index.all()].filter((a) => controller.review.needsMe(a)).length,
    [controller, version],
  );
  // The set-wide count costs a pass over the set: only where reviewing is the set's mode.
  const summary = useSetSummary(
    controller.data.imageSet.id,
    s.verdictVersion,
    controller.data.imageSet.collaboration_type === 2,
  );
  const required = controller.review.required;
  const canJudge = !s.readOnly && s.selection.size > 0;
  return (
    <section className="panel review-panel" aria-labelledby="review-heading">
      <h2 id="review-heading">Review</h2>
      <p className="hint">
        {required === 1
          ? 'One verdict by someone other than its creator settles an annotation.'
          : `${required} agreeing verdicts by others than its creator settle an annotation.`}
      </p>
      <div className="review-actions">
        <button
          type="button"
          aria-keyshortcuts="F"
          disabled={!canJudge}
          onClick={() => {
            review.judge(true);
          }}
        >
          Accept <kbd>F</kbd>
        </button>
        <button
          type="button"
          aria-keyshortcuts="Shift+F"
          disabled={!canJudge}
          onClick={() => {
            review.judge(false);
          }}
        >
          Reject <kbd>Shift+F</kbd>
        </button>
        <button
          type="button"
          aria-keyshortcuts="E"
          onClick={() => {
            review.next();
          }}
        >
          Next in queue <kbd>E</kbd>
        </button>
      </div>
      <p data-testid="review-needed">
        Needs your opinion: {needHere} here
        {summary === null ? null : `, ${summary.needs_my_opinion} in the set`}
        {summary === null || summary.disputed === 0 ? null : ` · ${summary.disputed} disputed`}
      </p>
      {item === undefined ? null : (
        <div data-testid="review-selected">
          <p>
            <strong data-testid="review-status">{STATUS_WORDS[controller.review.status(item)]}</strong>
            {item.record.created.by === controller.session.user.id ? ' · your own annotation' : null}
          </p>
          <ul className="verdicts" aria-label="Verdicts">
            {verdicts.map((v) => (
              <li key={v.user} data-verdict={v.verified ? 'accept' : 'reject'}>
                <span aria-hidden="true">{v.verified ? '✓' : '✗'}</span>{' '}
                {names.get(v.user) ?? `user ${v.user}`} {v.verified ? 'accepted' : 'rejected'}
                {v.user === item.record.created.by ? ' (creator, not counted)' : null}
              </li>
            ))}
            {verdicts.length === 0 ? <li className="muted">No verdicts yet.</li> : null}
          </ul>
        </div>
      )}
    </section>
  );
}

/** After a verdict, how long the set's summary waits: a burst of verdicts costs one read. */
const SUMMARY_DEBOUNCE_MS = 500;

/**
 * The set's review summary, read again after `version` (the verdicts here) moves, once verdicts
 * have paused for SUMMARY_DEBOUNCE_MS (which also leaves the server's projection time to have them).
 */
function useSetSummary(imageSet: number, version: number, enabled: boolean): ReviewSummary | null {
  const [summary, setSummary] = useState<ReviewSummary | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    const timer = window.setTimeout(
      () => {
        reviews.summary(imageSet).then(
          (found) => {
            if (current) setSummary(found);
          },
          () => undefined,
        );
      },
      version === 0 ? 0 : SUMMARY_DEBOUNCE_MS,
    );
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [imageSet, version, enabled]);
  return summary;
}
