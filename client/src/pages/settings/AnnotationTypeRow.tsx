import type { AnnotationType } from '@tessera/shared';
import { useState } from 'react';
import { annotationTypes } from '../../api/resources';
import { useAction } from '../../hooks/useAction';
import { vectorTypeLabel } from '../../vector-types';

/** One annotation type, its colour, default size, sort order and activity editable in place. */
export function AnnotationTypeRow({ type, onSaved }: { type: AnnotationType; onSaved: () => void }) {
  const save = useAction();
  const [draft, setDraft] = useState({
    color_code: type.color_code.toLowerCase(),
    default_width: String(type.default_width),
    default_height: String(type.default_height),
    sort_order: String(type.sort_order),
    active: type.active,
  });
  const changed =
    draft.color_code !== type.color_code.toLowerCase() ||
    draft.default_width !== String(type.default_width) ||
    draft.default_height !== String(type.default_height) ||
    draft.sort_order !== String(type.sort_order) ||
    draft.active !== type.active;
  const label = (what: string) => `${what} of ${type.name}`;
  const number = (key: 'default_width' | 'default_height' | 'sort_order') => (
    <input
      type="number"
      className="narrow"
      aria-label={label(key.replace('_', ' '))}
      value={draft[key]}
      onChange={(event) => {
        setDraft({ ...draft, [key]: event.target.value });
      }}
    />
  );
  return (
    <tr data-testid="annotation-type-row">
      <td>
        <span className="swatch" style={{ background: type.color_code }} aria-hidden="true" /> {type.name}
      </td>
      <td>{vectorTypeLabel(type.vector_type)}</td>
      <td>
        <input
          type="color"
          aria-label={label('Colour')}
          value={draft.color_code}
          onChange={(event) => {
            setDraft({ ...draft, color_code: event.target.value });
          }}
        />
      </td>
      <td>{number('default_width')}</td>
      <td>{number('default_height')}</td>
      <td>{number('sort_order')}</td>
      <td>
        <input
          type="checkbox"
          aria-label={label('Active')}
          checked={draft.active}
          onChange={(event) => {
            setDraft({ ...draft, active: event.target.checked });
          }}
        />
      </td>
      <td className="actions">
        <button
          type="button"
          disabled={!changed || save.busy}
          onClick={() => {
            void save
              .run(() =>
                annotationTypes.update(type.id, {
                  color_code: draft.color_code,
                  default_width: Number(draft.default_width),
                  default_height: Number(draft.default_height),
                  sort_order: Number(draft.sort_order),
                  active: draft.active,
                }),
              )
              .then((ok) => {
                if (ok) onSaved();
              });
          }}
        >
          Save
        </button>
        {save.error !== null ? (
          <span className="failure" role="alert">
            {save.error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
