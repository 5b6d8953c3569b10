import type { ImageSet } from '@tessera/shared';
import { useState, type SubmitEvent } from 'react';
import { COLLABORATION_MODES, MAX_REQUIRED_VERIFICATIONS } from '../../access';
import { imageSets } from '../../api/resources';
import { ErrorNotice, StatusLine } from '../../components/Notice';
import { useAction } from '../../hooks/useAction';
import { field } from '../../format';

/** Name, description, visibility, collaboration mode and verdicts per annotation of the set. */
export function GeneralSection({ set, onSaved }: { set: ImageSet; onSaved: () => void }) {
  const save = useAction();
  const [saved, setSaved] = useState(false);
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const mode = Number(data.get('collaboration_type'));
    setSaved(false);
    void save
      .run(() =>
        imageSets.update(set.id, {
          name: field(data, 'name'),
          description: field(data, 'description'),
          public: data.get('public') === 'on',
          collaboration_type: mode === 1 ? 1 : mode === 2 ? 2 : 0,
          required_verifications: Number(data.get('required_verifications')),
        }),
      )
      .then((ok) => {
        setSaved(ok);
        if (ok) onSaved();
      });
  };
  return (
    <section className="panel" aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      <form className="stacked-form" onSubmit={submit}>
        <label htmlFor="set-name">Name</label>
        <input id="set-name" name="name" defaultValue={set.name} required maxLength={200} />
        <label htmlFor="set-description">Description</label>
        <textarea
          id="set-description"
          name="description"
          defaultValue={set.description}
          rows={3}
          maxLength={10000}
        />
        <fieldset>
          <legend>Collaboration mode</legend>
          {COLLABORATION_MODES.map((mode) => (
            <label key={mode.value} className="choice">
              <input
                type="radio"
                name="collaboration_type"
                value={mode.value}
                defaultChecked={set.collaboration_type === mode.value}
              />
              <span>
                <strong>{mode.label}</strong> <span className="muted">{mode.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label htmlFor="set-required-verifications">
          Second opinion: agreeing verdicts by others that settle an annotation
        </label>
        <input
          id="set-required-verifications"
          name="required_verifications"
          type="number"
          min={1}
          max={MAX_REQUIRED_VERIFICATIONS}
          required
          defaultValue={set.required_verifications}
        />
        <label className="choice">
          <input type="checkbox" name="public" defaultChecked={set.public} />
          <span>Public: every signed-in user may view this set</span>
        </label>
        <ErrorNotice message={save.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.busy}>
            Save
          </button>
          {saved ? <StatusLine>Saved.</StatusLine> : null}
        </div>
      </form>
    </section>
  );
}
