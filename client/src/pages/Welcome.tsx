import type { ImageSet } from '@tessera/shared';
import { useState } from 'react';
import { Link } from 'react-router';

/** The team and image set the first start creates (server/src/datasets/demo.ts, cytology-slide). */
const DEMO_TEAM = 'Demo';
const DEMO_SLIDE_SET = 'Synthetic cytology slide';
/** Per browser: someone who hid the panel once does not want it back on every visit. */
const HIDDEN_KEY = 'tessera:welcome-hidden';

interface Group {
  readonly team: { readonly name: string } | null;
  readonly sets: readonly ImageSet[];
}

function readHidden(): boolean {
  try {
    return localStorage.getItem(HIDDEN_KEY) === '1';
  } catch {
    // Storage can be refused (private windows, strict settings): then the panel simply shows.
    return false;
  }
}

/**
 * The first page's "three things to try", shown while the viewer sees the demo team's slide: the
 * first-run path (docs/USER-GUIDE.md) starts here, so it must not depend on reading the terminal.
 */
export function Welcome({ groups }: { groups: readonly Group[] | undefined }) {
  const [hidden, setHidden] = useState(readHidden);
  const slideSet = groups
    ?.find((g) => g.team?.name === DEMO_TEAM)
    ?.sets.find((s) => s.name === DEMO_SLIDE_SET);
  if (hidden || slideSet === undefined) return null;
  return (
    <section className="panel welcome" aria-labelledby="welcome-heading">
      <div className="panel-head">
        <h2 id="welcome-heading">Welcome: three things to try</h2>
        <button
          type="button"
          onClick={() => {
            try {
              localStorage.setItem(HIDDEN_KEY, '1');
            } catch {
              // Not remembered; hidden for this visit only.
            }
            setHidden(true);
          }}
        >
          Hide
        </button>
      </div>
      <p className="muted">
        The team {DEMO_TEAM} holds ready-made data sets. Images show &quot;processing&quot; until they are
        ready, usually within a minute.
      </p>
      <ol className="welcome-steps">
        <li>
          <strong>Open the slide and zoom in.</strong>{' '}
          <Link to={`/sets/${slideSet.id}`}>{slideSet.name}</Link> is a 16,384 × 8,192 px whole slide with
          3,000 annotated cells; scroll to zoom from the whole slide to single nuclei.
        </li>
        <li>
          <strong>Look at the annotations by class.</strong> The list beside the slide counts them per class;
          filter it by a class (the rare mitotic figures, say) and click a row to fly there.
        </li>
        <li>
          <strong>Make an annotation.</strong> Press a digit 1-9 to choose a class, then drag a box around a
          cell (a single click places the class&apos;s default size). It is saved at once and appears live for
          everyone who has the slide open.
        </li>
      </ol>
    </section>
  );
}
