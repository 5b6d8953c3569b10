import { VectorType } from '@tessera/shared';
import type { WorkspaceController } from '../workspace-controller';
import { geometryName } from './Toolbar';
import { useWorkspace } from './useWorkspace';

/**
 * The image set's templates: annotation types in sort order, the first nine on digits 1-9 (EXACT's
 * convention), then the image-level labels as switches.
 */
export function TypePicker({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const shapes = controller.data.types.filter((t) => t.vector_type !== VectorType.global);
  const labels = controller.data.types.filter((t) => t.vector_type === VectorType.global);
  const present = new Set(controller.index.imageLabels().map((l) => l.record.type));
  return (
    <section className="panel" aria-labelledby="types-heading">
      <h2 id="types-heading">Annotation types</h2>
      {shapes.length === 0 && labels.length === 0 ? (
        <p className="hint">
          This image set has no annotation types yet (a team admin adds them in its settings).
        </p>
      ) : null}
      <ul className="type-list">
        {shapes.map((t, i) => (
          <li key={t.id}>
            <button
              type="button"
              className="type-button"
              aria-pressed={s.activeType === t.id}
              aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
              disabled={s.readOnly}
              onClick={() => {
                if (s.selection.size > 0) controller.relabelSelection(t.id);
                else controller.chooseType(t.id);
              }}
            >
              <span className="swatch" style={{ background: t.color_code }} aria-hidden="true" />
              {i < 9 ? <kbd aria-hidden="true">{i + 1}</kbd> : null}
              {/* The name is the visible text (as axe's label-in-name rule asks) plus the key. */}
              <span>{t.name}</span> <span className="geometry">{geometryName(t.vector_type)}</span>
              {i < 9 ? <span className="visually-hidden">, key {i + 1}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      {labels.length > 0 ? (
        <fieldset className="image-labels">
          <legend>Image labels</legend>
          {labels.map((t) => (
            <label key={t.id}>
              <input
                type="checkbox"
                checked={present.has(t.id)}
                disabled={s.readOnly}
                onChange={() => {
                  controller.chooseType(t.id);
                }}
              />
              <span className="swatch" style={{ background: t.color_code }} aria-hidden="true" /> {t.name}
            </label>
          ))}
        </fieldset>
      ) : null}
    </section>
  );
}
