import { useState } from 'react';
import { keepForOffline } from '../background-documents';
import type { WorkspaceData } from '../workspace-data';

/**
 * "Keep for offline work": every image of the set gets its data and its annotation document stored in
 * this browser, so all of them open without a network (images already opened are kept anyway).
 */
export function KeepSetOffline({ data, userId }: { data: WorkspaceData; userId: number }) {
  const [state, setState] = useState<{ done: number; running: boolean; problem: string | null }>({
    done: 0,
    running: false,
    problem: null,
  });
  // The open image's document is kept already; the others are opened one by one.
  const others = data.siblings.filter((i) => i.id !== data.image.id).map((i) => i.id);
  if (data.version !== undefined || others.length === 0) return null;
  const total = others.length;
  const keep = () => {
    setState({ done: 0, running: true, problem: null });
    keepForOffline(others, userId, (done) => {
      setState((s) => ({ ...s, done }));
    }).then(
      (done) => {
        setState({
          done,
          running: false,
          problem: done < total ? `${total - done} could not be kept.` : null,
        });
      },
      (error: unknown) => {
        setState((s) => ({
          ...s,
          running: false,
          problem: error instanceof Error ? error.message : String(error),
        }));
      },
    );
  };
  return (
    <p className="keep-offline">
      <button type="button" disabled={state.running} onClick={keep}>
        Keep the other {total} images for offline work
      </button>{' '}
      <span role="status" data-testid="keep-offline-state">
        {state.running || state.done > 0 ? `${state.done} of ${total} kept` : ''}
        {state.problem !== null ? ` ${state.problem}` : ''}
      </span>
    </p>
  );
}
