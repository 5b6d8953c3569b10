import { VectorType } from '@tessera/shared';
import { Tag } from 'lucide-react';
import type { WorkspaceController } from '../workspace-controller';
import { NoTypesHint } from './NoTypesHint';
import { geometryName } from './Toolbar';
import { useWorkspace } from './useWorkspace';

/**
 * The image set's templates: annotation types in sort order, the first nine on digits 1-9 (EXACT's
 * convention), then the image-level labels as switches. A line above the list says what a digit does
 * now: it always chooses the type for new shapes; Shift+digit (or a row's Relabel) relabels the
 * selection.
 */
export function TypePicker({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const shapes = controller.shapeTypes();
  const selected = s.selection.size;
  const relabel = selected > 0 && !s.readOnly;
  const labels = controller.data.types.filter((t) => t.vector_type === VectorType.global);
  const present = new Set(controller.index.imageLabels().map((l) => l.record.type));
  return (
    <section className="panel" aria-labelledby="types-heading">
      <h2 id="types-heading">Annotation types</h2>
      {shapes.length === 0 && labels.length === 0 ? (
        <NoTypesHint setId={controller.data.image.image_set} />
      ) : null}
      {shapes.length > 0 ? (
        <p className="hint digit-rule" data-testid="digit-rule" aria-live="polite">
          {relabel ? (
            <>
              <kbd>1</kbd>-<kbd>9</kbd> choose the type for new shapes; the {selected} selected keep theirs.{' '}
              <kbd>Shift</kbd>+digit or a type’s tag button relabels them.
            </>
          ) : (
            <>
              <kbd>1</kbd>-<kbd>9</kbd> choose the type for new shapes. Select shapes, then <kbd>Shift</kbd>
              +digit relabels them.
            </>
          )}
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
              onClick={(e) => {
                if (e.shiftKey && relabel) controller.relabelSelection(t.id);
                else controller.chooseType(t.id);
              }}
            >
              <span className="swatch" style={{ background: t.color_code }} aria-hidden="true" />
              {i < 9 ? <kbd aria-hidden="true">{i + 1}</kbd> : null}
              {/* The name is the visible text (as axe's label-in-name rule asks) plus the key. */}
              <span>{t.name}</span> <span className="geometry">{geometryName(t.vector_type)}</span>
              {i < 9 ? <span className="visually-hidden">, key {i + 1}</span> : null}
            </button>
            {relabel ? (
              <button
                type="button"
                className="relabel"
                aria-keyshortcuts={i < 9 ? `Shift+${i + 1}` : undefined}
                aria-label={`Relabel the selection to ${t.name}`}
                title={`Relabel the selection to ${t.name}${i < 9 ? ` (Shift+${i + 1})` : ''}`}
                onClick={() => {
                  controller.relabelSelection(t.id);
                }}
              >
                <Tag size={14} aria-hidden="true" />
              </button>
            ) : null}
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
