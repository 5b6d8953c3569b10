import { useEffect, useMemo, useRef } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { focusWhenReady, judgeSelection, nextInQueue } from '../review-actions';
import type { WorkspaceController } from '../workspace-controller';

/** The review actions of a workspace, and the focus on the annotation its address names. */
export function useReview(controller: WorkspaceController | null) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const focus = params.get('annotation');
  // E's wait for an annotation not here yet: a later E replaces it.
  const waiting = useRef<(() => void) | null>(null);
  useEffect(
    () => () => {
      waiting.current?.();
    },
    [controller],
  );
  useEffect(
    () => (controller !== null && focus !== null ? focusWhenReady(controller, focus) : undefined),
    [controller, focus],
  );
  return useMemo(
    () => ({
      judge(verified: boolean): void {
        if (controller !== null) judgeSelection(controller, verified);
      },
      next(): void {
        if (controller === null) return;
        nextInQueue(controller).then(
          (step) => {
            if (step === null) controller.say('Nothing in this set needs your opinion now.');
            else if (step.image !== controller.data.image.id)
              void navigate(`/images/${step.image}?annotation=${step.annotation}`);
            else {
              controller.say(null);
              waiting.current?.();
              waiting.current = null;
              // Here at once when loaded; else once its region is open, or the document has it.
              if (controller.index.get(step.annotation) !== undefined) controller.flyTo(step.annotation);
              else waiting.current = focusWhenReady(controller, step.annotation);
            }
          },
          (e: unknown) => {
            controller.say(
              `The review queue could not be read: ${e instanceof Error ? e.message : String(e)}`,
            );
          },
        );
      },
    }),
    [controller, navigate],
  );
}
