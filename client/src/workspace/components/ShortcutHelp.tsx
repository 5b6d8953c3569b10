import { useEffect, useRef } from 'react';
import { SHORTCUT_GROUPS } from '../shortcuts';

/**
 * The sheet of every key (`?` or the toolbar's keyboard button), drawn from the one shortcut table
 * so it lists exactly what the keys do. A modal dialog: Escape or Close shuts it.
 */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d === null) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="shortcut-help"
      data-testid="shortcut-help"
      aria-labelledby="shortcut-help-heading"
      onClose={onClose}
    >
      <h2 id="shortcut-help-heading">Keyboard shortcuts</h2>
      <div className="shortcut-groups">
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
      </div>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
