import { useEffect, useState, useSyncExternalStore } from 'react';
import { isTextEntry } from '../keyboard';
import { screeningKeyAction } from '../screening-keys';
import { ScreeningNavigator } from '../screening-navigator';
import { ScreeningSession, ZOOM_FACTORS, zoomName } from '../screening-session';
import type { WorkspaceController } from '../workspace-controller';

/** Guided screening: choose a zoom, then step through the image's fields with Space / Shift+Space. */
export function ScreeningPanel({ controller }: { controller: WorkspaceController }) {
  const [session, setSession] = useState<ScreeningSession | null>(null);
  useEffect(() => {
    const osd = controller.viewer?.viewer;
    if (osd === undefined) return;
    const overlay = new ScreeningNavigator(osd);
    const created = new ScreeningSession(
      controller.data.image,
      controller.session.user.id,
      overlay.binding(),
    );
    overlay.follow(created.getSnapshot, (index) => {
      created.moveTo(index);
    });
    setSession(created);
    // Exposed for the browser tests, as the workspace is.
    Object.assign(window, { tesseraScreening: { session: created, navigator: overlay } });
    void created.load();
    const onKey = (e: KeyboardEvent) => {
      if (isTextEntry(e.target)) return;
      const action = screeningKeyAction(e);
      if (action === null || !created.getSnapshot().active) return;
      e.preventDefault();
      e.stopPropagation();
      created.step(action.step);
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      overlay.canvas.remove();
      setSession(null);
    };
  }, [controller]);
  return session === null ? null : (
    <ScreeningControls session={session} objectivePower={controller.data.image.objectivePower} />
  );
}

function ScreeningControls({
  session,
  objectivePower,
}: {
  session: ScreeningSession;
  objectivePower: number;
}) {
  const s = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [factor, setFactor] = useState<number>(ZOOM_FACTORS[0]);
  const progress = s.progress;
  return (
    <section className="panel" aria-labelledby="screening-heading" data-testid="screening">
      <h2 id="screening-heading">Screening</h2>
      {progress !== null ? (
        <p
          data-testid="screening-position"
          data-current={progress.current}
          data-screened={progress.screened.size}
        >
          Field {progress.current + 1} of {progress.fields.length}, {progress.screened.size} screened
          {s.active ? '' : ' (paused)'}
        </p>
      ) : null}
      <label>
        Zoom{' '}
        <select
          value={factor}
          onChange={(e) => {
            setFactor(Number(e.target.value));
          }}
        >
          {ZOOM_FACTORS.map((f) => (
            <option key={f} value={f}>
              {zoomName(f, objectivePower)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={!s.loaded}
        onClick={() => {
          if (
            progress === null ||
            window.confirm('Start again at this zoom? The fields screened so far are forgotten.')
          )
            void session.start(factor);
        }}
      >
        {progress === null ? 'Start screening' : 'Start again'}
      </button>
      {progress !== null ? (
        <div className="proposal-actions">
          <button
            type="button"
            aria-keyshortcuts="Shift+Space"
            disabled={!s.active}
            onClick={() => {
              session.step(-1);
            }}
          >
            Previous <kbd>⇧ Space</kbd>
          </button>
          <button
            type="button"
            aria-keyshortcuts="Space"
            disabled={!s.active}
            onClick={() => {
              session.step(1);
            }}
          >
            Next <kbd>Space</kbd>
          </button>
          <button
            type="button"
            onClick={() => {
              session.setActive(!s.active);
            }}
          >
            {s.active ? 'Pause' : 'Resume'}
          </button>
        </div>
      ) : null}
      {s.error !== null ? (
        <p className="status-message" role="alert">
          {s.error}
        </p>
      ) : null}
    </section>
  );
}
