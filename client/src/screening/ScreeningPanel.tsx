import type OpenSeadragon from 'openseadragon';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { isTextEntry } from '../workspace/keyboard';
import { screeningKeyAction } from './screening-keys';
import { ScreeningNavigator } from './screening-navigator';
import {
  ScreeningSession,
  ZOOM_FACTORS,
  zoomName,
  type ScreeningPicture,
  type ScreeningStore,
} from './screening-session';
import './screening.css';

/**
 * Guided screening of the picture open in `viewer` (a slide or a map's mosaic): choose a zoom, then
 * step through its fields with Space / Shift+Space. `store` keeps the user's plan (memoize it: a new
 * store starts a new session).
 */
export function ScreeningPanel({
  viewer,
  picture,
  store,
  objectivePower,
  zoomFactors = ZOOM_FACTORS,
  initialFactor = zoomFactors[0] ?? 1,
}: {
  viewer: OpenSeadragon.Viewer | undefined;
  picture: ScreeningPicture;
  store: ScreeningStore;
  objectivePower: number;
  /** The zooms offered, as picture pixels per screen pixel (a slide's default: 1 and coarser). */
  zoomFactors?: readonly number[];
  initialFactor?: number;
}) {
  const [session, setSession] = useState<ScreeningSession | null>(null);
  const { width, height } = picture;
  useEffect(() => {
    if (viewer === undefined) return;
    const overlay = new ScreeningNavigator(viewer);
    const created = new ScreeningSession({ width, height }, store, overlay.binding());
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
  }, [viewer, store, width, height]);
  return session === null ? null : (
    <ScreeningControls
      session={session}
      objectivePower={objectivePower}
      zoomFactors={zoomFactors}
      initialFactor={initialFactor}
    />
  );
}

function ScreeningControls({
  session,
  objectivePower,
  zoomFactors,
  initialFactor,
}: {
  session: ScreeningSession;
  objectivePower: number;
  zoomFactors: readonly number[];
  initialFactor: number;
}) {
  const s = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [factor, setFactor] = useState<number>(initialFactor);
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
          {zoomFactors.map((f) => (
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
