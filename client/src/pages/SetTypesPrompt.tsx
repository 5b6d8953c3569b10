import type { ImageSet } from '@tessera/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { products } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';

/**
 * A set without annotation types cannot be drawn on: says so on the set page, and lets a team admin
 * take one of the team's products (its types) in one step, or go to the settings to make new ones.
 */
export function SetTypesPrompt({
  set,
  isAdmin,
  onChanged,
}: {
  set: ImageSet;
  isAdmin: boolean;
  onChanged: () => void;
}) {
  const loaded = useLoad(async () => {
    const team = (await products.ofTeam(set.team)).results;
    return { team, attached: team.filter((p) => p.imagesets.includes(set.id)) };
  }, [set.id, set.team]);
  const attach = useAction();
  const [choice, setChoice] = useState('');
  const data = loaded.data;
  if (data === undefined || data.attached.some((p) => p.annotationtype_set.length > 0)) return null;
  const offered = data.team.filter((p) => !p.imagesets.includes(set.id) && p.annotationtype_set.length > 0);
  const picked = offered.find((p) => String(p.id) === choice) ?? offered[0];
  return (
    <section className="panel notice-panel" aria-labelledby="types-prompt-title" data-testid="types-prompt">
      <h2 id="types-prompt-title">No annotation types yet</h2>
      {!isAdmin ? (
        <p>Nobody can draw here until a team admin adds annotation types to this set.</p>
      ) : (
        <>
          {picked === undefined ? null : (
            <div className="inline-form">
              <label htmlFor="types-product">Use the types of</label>
              <select
                id="types-product"
                value={String(picked.id)}
                onChange={(e) => {
                  setChoice(e.target.value);
                }}
              >
                {offered.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.annotationtype_set.length} types)
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="primary"
                disabled={attach.busy}
                onClick={() => {
                  void attach
                    .run(() => products.setImageSets(picked.id, [...picked.imagesets, set.id]))
                    .then((ok) => {
                      if (!ok) return;
                      loaded.reload();
                      onChanged();
                    });
                }}
              >
                Use them
              </button>
            </div>
          )}
          <p>
            Or{' '}
            <Link to={`/sets/${set.id}/settings#types-title`}>create annotation types in the settings</Link>.
          </p>
        </>
      )}
      <ErrorNotice message={attach.error ?? loaded.error} />
    </section>
  );
}
