import { useEffect, useState } from 'react';
import { VectorType } from '@tessera/shared';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';
import { AnnotationMediaFiles } from './AnnotationMediaFiles';
import { formatLength, polylineLength } from '../measure';

/** Lines and multi-lines show their length. */
function isLine(vectorType: number | undefined): boolean {
  return vectorType === VectorType.line || vectorType === VectorType.multiLine;
}

/**
 * The selection: how many, and for one annotation its type, description (editable) and media files
 * (in the live document only: a version's annotations are not REST objects).
 */
export function SelectionPanel({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const [only] = s.selection.size === 1 ? [...s.selection] : [];
  const item = only === undefined ? undefined : controller.index.get(only);
  const [draft, setDraft] = useState(item?.record.description ?? '');
  useEffect(() => {
    setDraft(item?.record.description ?? '');
  }, [item?.record.description, only]);
  if (s.selection.size === 0) return null;
  return (
    <section className="panel" aria-labelledby="selection-heading">
      <h2 id="selection-heading" data-testid="selection-count">
        {s.selection.size} selected
      </h2>
      {s.selection.size > 1 ? (
        <p className="hint">Shift+digit or a type’s tag button relabels them all, Delete deletes them.</p>
      ) : null}
      {item !== undefined ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            controller.setDescription(item.id, draft);
          }}
        >
          <p>
            <span
              className="swatch"
              style={{ background: controller.typesById.get(item.record.type)?.color_code }}
            />{' '}
            {controller.typesById.get(item.record.type)?.name ?? `type ${item.record.type}`}
          </p>
          {isLine(controller.typesById.get(item.record.type)?.vector_type) ? (
            <p data-testid="selection-length">
              Length: {formatLength(polylineLength(item.points), controller.data.image)}
            </p>
          ) : null}
          <label>
            Description
            <textarea
              value={draft}
              maxLength={10_000}
              disabled={s.readOnly}
              onChange={(e) => {
                setDraft(e.target.value);
              }}
            />
          </label>
          <button type="submit" disabled={s.readOnly || draft === item.record.description}>
            Save description
          </button>
        </form>
      ) : null}
      {item !== undefined && controller.data.version === undefined ? (
        <AnnotationMediaFiles
          image={controller.data.image.id}
          uniqueIdentifier={item.id}
          readOnly={s.readOnly}
        />
      ) : null}
    </section>
  );
}
