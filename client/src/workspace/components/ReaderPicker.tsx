import { useEffect, useState } from 'react';
import type { SessionInfo } from '@tessera/shared';
import { memberships } from '../../api/resources';
import { colorOf } from '../presence';
import type { Reader, ReaderView } from '../reader-copies';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/** The team's other members, if the session may review their copies (team admin or superuser). */
function useReviewableReaders(team: number, session: SessionInfo): Reader[] | null {
  const [readers, setReaders] = useState<Reader[] | null>(null);
  useEffect(() => {
    let current = true;
    memberships.ofTeam(team).then(
      (page) => {
        const mine = page.results.find((m) => m.user.id === session.user.id);
        if (!current || !(session.user.is_superuser || mine?.is_admin === true)) return;
        const others = page.results.filter((m) => m.user.id !== session.user.id);
        setReaders(others.map((m) => ({ id: m.user.id, name: m.user.username, color: colorOf(m.user.id) })));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [team, session]);
  return readers;
}

function viewValue(view: ReaderView): string {
  return view.kind === 'reader' ? `reader:${view.userId}` : view.kind;
}

function parseView(value: string): ReaderView {
  if (value.startsWith('reader:')) return { kind: 'reader', userId: Number(value.slice(7)) };
  if (value === 'side-by-side' || value === 'merged') return { kind: value };
  return { kind: 'own' };
}

/**
 * Blind sets, team admins only: whose copies to show besides one's own, which stays the one edited.
 * One reader, every reader side by side (a colour each) or merged (the types' colours).
 */
export function ReaderPicker({
  controller,
  session,
}: {
  controller: WorkspaceController;
  session: SessionInfo;
}) {
  useWorkspace(controller); // re-rendered as copies load and change, for the counts
  const readers = useReviewableReaders(controller.data.imageSet.team, session);
  const copies = controller.readers;
  if (copies === null || readers === null) return null;
  const shown = copies.shown();
  return (
    <section className="panel" aria-labelledby="readers-heading">
      <h2 id="readers-heading">Readers</h2>
      <label>
        Show
        <select
          aria-label="Readers' copies"
          value={viewValue(copies.view)}
          onChange={(e) => {
            copies.show(parseView(e.target.value), readers);
          }}
        >
          <option value="own">Only my copy</option>
          {readers.map((r) => (
            <option key={r.id} value={`reader:${r.id}`}>
              {r.name}
            </option>
          ))}
          <option value="side-by-side">All readers side by side</option>
          <option value="merged">All readers merged</option>
        </select>
      </label>
      <ul className="people" data-testid="reader-copies">
        {shown.map(({ reader, annotations }) => (
          <li key={reader.id}>
            {copies.view.kind === 'side-by-side' ? (
              <span className="swatch" style={{ background: reader.color }} aria-hidden="true" />
            ) : null}
            <span className="person">
              {reader.name}: {annotations}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
