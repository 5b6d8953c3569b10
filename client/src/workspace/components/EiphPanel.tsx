import { useEffect, useMemo, useState } from 'react';
import { EIPH_SAMPLE_SIZE } from '@tessera/shared';
import { fieldScore, gradedTypes } from '../eiph-field';
import type { Rect } from '../geometry';
import { visibleRect } from '../overlay-renderer';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/**
 * The EIPH total hemosiderin score (Doucet and Viel 2002) of the field in view, recounted as the view
 * moves and as cells are graded; shown only on images whose types are named by grade 0-4.
 */
export function EiphPanel({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const grades = useMemo(() => gradedTypes(controller.data.types), [controller]);
  const [view, setView] = useState<Rect | null>(null);
  const viewer = controller.viewer;
  useEffect(() => {
    if (viewer === null || grades.size === 0) return;
    let pending = 0;
    // One recount per frame however often OpenSeadragon reports a moving view.
    const update = () => {
      if (pending !== 0) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        const t = viewer.transform();
        if (t !== null) setView(visibleRect(t));
      });
    };
    update();
    viewer.viewer.addHandler('update-viewport', update);
    return () => {
      cancelAnimationFrame(pending);
      viewer.viewer.removeHandler('update-viewport', update);
    };
  }, [viewer, grades]);
  const frame = controller.data.image.frames > 1 ? s.frame : null;
  const score = useMemo(
    () => (view === null ? null : fieldScore(controller.index.search(view, frame), grades, view)),
    // The index changes in place; its version says when to count again.
    [controller, view, frame, grades, s.version],
  );
  if (grades.size === 0 || score === null) return null;
  return (
    <section className="panel" aria-labelledby="eiph-heading" data-testid="eiph">
      <h2 id="eiph-heading">EIPH score</h2>
      <p>
        <output data-testid="eiph-score">{score.score === null ? '–' : score.score.toFixed(0)}</output> of 400
      </p>
      <p className="hint" data-testid="eiph-counts">
        Grades 0-4: {score.counts.join(' / ')}; {score.counted} cells counted
        {score.inField > score.counted
          ? ` (the ${EIPH_SAMPLE_SIZE} nearest the centre of ${score.inField})`
          : ''}
        {score.counted < EIPH_SAMPLE_SIZE ? ` (Doucet and Viel count ${EIPH_SAMPLE_SIZE})` : ''}
      </p>
    </section>
  );
}
