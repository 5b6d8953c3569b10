import { useMemo, useState, useSyncExternalStore } from 'react';
import { visibleRect } from '../overlay-renderer';
import { MAX_BULK_ACCEPT } from '../proposal-review';
import { summarise } from '../proposal-rules';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/**
 * Algorithm proposals of the image: how many are pending, accepted and rejected, the score threshold
 * under which pending ones hide, rejected ones on request, and accepting every pending one in view at
 * or above the threshold at once. Accepting or rejecting the selection is the workspace's one verdict
 * action (F / Shift+F, the Review panel's buttons: review-actions.ts).
 */
export function ProposalPanel({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const review = controller.proposals;
  const r = useSyncExternalStore(review.subscribe, review.getSnapshot);
  const [note, setNote] = useState<string | null>(null);
  const summary = useMemo(
    // Only the proposals are walked (the index keeps them apart): none on most images.
    () => summarise(controller.index.proposals(), review.stateOf),
    // The index and verdicts change in place; their versions say when to count again.
    [controller, s.version, s.verdictVersion],
  );
  if (summary.pending + summary.accepted + summary.rejected === 0) return null;
  const acceptInView = () => {
    const view = controller.viewer?.transform();
    if (view == null) return;
    const frame = controller.data.image.frames > 1 ? s.frame : null;
    const result = review.acceptInView(visibleRect(view), frame);
    setNote(
      'tooMany' in result
        ? `${result.tooMany} proposals in view: zoom in to accept at most ${MAX_BULK_ACCEPT} at once.`
        : `Accepted ${result.accepted} proposal(s) in view.`,
    );
  };
  const scores = summary.scores;
  const step = scores === null ? 1 : (scores.max - scores.min) / 100 || 0.01;
  const threshold = r.threshold ?? scores?.min ?? 0;
  return (
    <section className="panel" aria-labelledby="proposals-heading" data-testid="proposals">
      <h2 id="proposals-heading">Proposals</h2>
      <p data-testid="proposal-counts">
        {summary.pending} pending, {summary.accepted} accepted, {summary.rejected} rejected
      </p>
      {scores !== null ? (
        <label className="slider">
          Score threshold
          <input
            type="range"
            min={scores.min}
            max={scores.max}
            step={step}
            value={threshold}
            onChange={(e) => {
              review.setThreshold(Number(e.target.value));
            }}
          />
          <output data-testid="proposal-threshold">{threshold.toFixed(2)}</output>
        </label>
      ) : null}
      <label>
        <input
          type="checkbox"
          checked={r.showRejected}
          onChange={(e) => {
            review.setShowRejected(e.target.checked);
          }}
        />{' '}
        Show rejected proposals
      </label>
      <p className="hint">
        <kbd>F</kbd> / <kbd>Shift+F</kbd> (or the Review panel) accept or reject the selection.
      </p>
      <div className="proposal-actions">
        <button type="button" disabled={s.readOnly || summary.pending === 0} onClick={acceptInView}>
          Accept all in view at or above the threshold
        </button>
      </div>
      {note !== null ? <p className="hint">{note}</p> : null}
    </section>
  );
}
