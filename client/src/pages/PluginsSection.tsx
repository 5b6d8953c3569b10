import { plugins } from '../api/processing';
import { ErrorNotice, StatusLine } from '../components/Notice';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';

/**
 * The plugins of this server and whether each is enabled for the set (its jobs may run on the set's
 * images, its panel shows in the workspace). Team admins switch them; others read.
 */
export function PluginsSection({ setId, isAdmin }: { setId: number; isAdmin: boolean }) {
  const state = useLoad(async () => {
    const [all, enabled] = await Promise.all([plugins.catalogue(), plugins.enablements(setId)]);
    const rows = await Promise.all(
      all.map(async (p) => {
        const row = (await plugins.byPackage(p.name)).results.find((r) => r.package === p.name);
        return {
          ...p,
          id: row?.id ?? null,
          enablement: enabled.results.find((e) => e.plugin === row?.id) ?? null,
        };
      }),
    );
    return rows;
  }, [setId]);
  const toggle = useAction();
  return (
    <section aria-labelledby="plugins-heading" data-testid="plugins-section">
      <h2 id="plugins-heading">Plugins</h2>
      {state.loading && state.data === undefined ? <StatusLine>Loading plugins…</StatusLine> : null}
      <ErrorNotice message={toggle.error ?? state.error} />
      <ul>
        {(state.data ?? []).map((p) => (
          <li key={p.name}>
            <label>
              <input
                type="checkbox"
                checked={p.enablement !== null}
                disabled={!isAdmin || p.id === null || toggle.busy}
                onChange={() => {
                  const id = p.id;
                  if (id === null) return;
                  void toggle
                    .run(() =>
                      p.enablement === null ? plugins.enable(id, setId) : plugins.disable(p.enablement.id),
                    )
                    .then(state.reload);
                }}
              />{' '}
              {p.name} <span className="hint">{p.description}</span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
