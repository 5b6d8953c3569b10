import { VectorType } from '@tessera/shared';
import type { Tool } from '../interaction';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

const GEOMETRY: Record<number, string> = {
  [VectorType.box]: 'box',
  [VectorType.circle]: 'point / circle',
  [VectorType.line]: 'line',
  [VectorType.multiLine]: 'multi-line',
  [VectorType.polygon]: 'polygon',
  [VectorType.fixedBox]: 'fixed box',
  [VectorType.segmentation]: 'outline',
};

/** The name of the shape a vector type draws. */
export function geometryName(vectorType: number): string {
  return GEOMETRY[vectorType] ?? 'image label';
}

/** Tools, undo/redo, delete and zoom; every button says what it does and its key. */
export function Toolbar({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const active = s.activeType === null ? undefined : controller.typesById.get(s.activeType);
  const tools: { tool: Tool; label: string; key: string }[] = [
    { tool: 'select', label: 'Select and edit', key: 'V' },
    { tool: 'draw', label: `Draw ${active ? geometryName(active.vector_type) : ''}`.trim(), key: 'D' },
    { tool: 'area', label: 'Select by rectangle', key: 'R' },
  ];
  return (
    <div className="toolbar" role="toolbar" aria-label="Annotation tools">
      {tools.map((t) => (
        <button
          key={t.tool}
          type="button"
          aria-pressed={s.tool === t.tool}
          aria-keyshortcuts={t.key}
          disabled={t.tool === 'draw' && (s.readOnly || active === undefined)}
          onClick={() => {
            controller.setTool(t.tool);
          }}
        >
          {t.label} <kbd>{t.key}</kbd>
        </button>
      ))}
      <span className="toolbar-gap" />
      <button
        type="button"
        aria-keyshortcuts="Control+Z"
        disabled={!s.canUndo || s.readOnly}
        onClick={() => {
          controller.undo();
        }}
      >
        Undo
      </button>
      <button
        type="button"
        aria-keyshortcuts="Control+Shift+Z"
        disabled={!s.canRedo || s.readOnly}
        onClick={() => {
          controller.redo();
        }}
      >
        Redo
      </button>
      <button
        type="button"
        aria-keyshortcuts="Delete"
        disabled={s.selection.size === 0 || s.readOnly}
        onClick={() => {
          controller.deleteSelection();
        }}
      >
        Delete selected
      </button>
      <span className="toolbar-gap" />
      <button type="button" aria-label="Zoom in" onClick={() => controller.viewer?.zoomBy(1.5)}>
        +
      </button>
      <button type="button" aria-label="Zoom out" onClick={() => controller.viewer?.zoomBy(1 / 1.5)}>
        −
      </button>
      <button type="button" aria-label="Fit the whole image" onClick={() => controller.viewer?.home()}>
        Fit
      </button>
    </div>
  );
}
