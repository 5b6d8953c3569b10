import { SHORTCUT_GROUPS } from '../shortcuts';

/** The workspace's keys, folded away until asked for. */
export function ShortcutHelp() {
  return (
    <details className="panel shortcut-help" data-testid="shortcut-help">
      <summary>Keyboard shortcuts</summary>
      {SHORTCUT_GROUPS.map((group) => (
        <section key={group.title}>
          <h3>{group.title}</h3>
          <dl>
            {group.keys.map((k) => (
              <div key={k.keys}>
                <dt>
                  <kbd>{k.keys}</kbd>
                </dt>
                <dd>{k.action}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </details>
  );
}
