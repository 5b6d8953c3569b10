import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/** Who else is on this image, in their colours, with "follow" to see what they see. */
export function CollaboratorList({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  return (
    <section className="panel" aria-labelledby="people-heading">
      <h2 id="people-heading">On this image</h2>
      {s.collaborators.length === 0 ? <p className="hint">Nobody else right now.</p> : null}
      <ul className="people" data-testid="collaborators">
        {s.collaborators.map((c) => (
          <li key={c.clientId}>
            <span className="swatch" style={{ background: c.user.color }} aria-hidden="true" />
            <span className="person">{c.user.name}</span>
            <button
              type="button"
              aria-pressed={s.following === c.clientId}
              aria-label={`${s.following === c.clientId ? 'Stop following' : 'Follow'} ${c.user.name}`}
              onClick={() => {
                controller.follow(s.following === c.clientId ? null : c.clientId);
              }}
            >
              {s.following === c.clientId ? 'Following' : 'Follow'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
