import { VectorType } from '@tessera/shared';
import {
  Keyboard,
  Lasso,
  Link2,
  Maximize,
  MousePointer2,
  Paintbrush,
  PenLine,
  Redo2,
  Ruler,
  SquareDashedMousePointer,
  Trash,
  Undo2,
  ZoomIn,
  ZoomOut,
  type LucideIcon,
} from 'lucide-react';
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

/** The tools in the toolbar's order, each with its icon, name and key (keyboard.ts maps the keys). */
const TOOLS: readonly { tool: Tool; icon: LucideIcon; label: string; key: string }[] = [
  { tool: 'select', icon: MousePointer2, label: 'Select and move', key: 'V' },
  { tool: 'draw', icon: PenLine, label: 'Draw', key: 'D' },
  { tool: 'area', icon: SquareDashedMousePointer, label: 'Select by rectangle', key: 'R' },
  { tool: 'freehand', icon: Lasso, label: 'Freehand polygon', key: 'P' },
  { tool: 'brush', icon: Paintbrush, label: 'Brush (Alt erases)', key: 'B' },
  { tool: 'ruler', icon: Ruler, label: 'Ruler', key: 'M' },
];

/**
 * Tools, undo/redo, delete, zoom and the key sheet: icons (lucide-react) with each button's name for
 * screen readers and as a tooltip, the chosen tool's name shown beside its icon.
 */
export function Toolbar({ controller, onHelp }: { controller: WorkspaceController; onHelp: () => void }) {
  const s = useWorkspace(controller);
  const active = s.activeType === null ? undefined : controller.typesById.get(s.activeType);
  const hasPolygon = controller.data.types.some(
    (t) => t.vector_type === VectorType.polygon && t.node_count === 0,
  );
  const disabled = (tool: Tool) =>
    (tool === 'draw' && (s.readOnly || active === undefined)) ||
    ((tool === 'freehand' || tool === 'brush') && (s.readOnly || !hasPolygon));
  return (
    <div className="toolbar" role="toolbar" aria-label="Annotation tools">
      {TOOLS.map(({ tool, icon: Icon, label, key }) => {
        const name = tool === 'draw' && active ? `${label} ${geometryName(active.vector_type)}` : label;
        return (
          <button
            key={tool}
            type="button"
            aria-pressed={s.tool === tool}
            aria-keyshortcuts={key}
            title={
              tool === 'draw' && controller.data.types.length === 0
                ? "No annotation types in this set: a team admin adds them in the set's settings."
                : `${name} (${key})`
            }
            disabled={disabled(tool)}
            onClick={() => {
              controller.setTool(tool);
            }}
          >
            <Icon size={16} aria-hidden="true" />
            <span className={s.tool === tool ? 'tool-name' : 'visually-hidden'}>{name}</span>
            <kbd>{key}</kbd>
          </button>
        );
      })}
      <span className="toolbar-gap" />
      <button
        type="button"
        aria-keyshortcuts="Control+Z"
        title="Undo (Ctrl+Z)"
        disabled={!s.canUndo || s.readOnly}
        onClick={() => {
          controller.undo();
        }}
      >
        <Undo2 size={16} aria-hidden="true" />
        <span className="visually-hidden">Undo</span>
      </button>
      <button
        type="button"
        aria-keyshortcuts="Control+Shift+Z"
        title="Redo (Ctrl+Shift+Z)"
        disabled={!s.canRedo || s.readOnly}
        onClick={() => {
          controller.redo();
        }}
      >
        <Redo2 size={16} aria-hidden="true" />
        <span className="visually-hidden">Redo</span>
      </button>
      <button
        type="button"
        aria-keyshortcuts="Delete"
        title="Delete selected (Delete)"
        disabled={s.selection.size === 0 || s.readOnly}
        onClick={() => {
          controller.deleteSelection();
        }}
      >
        <Trash size={16} aria-hidden="true" />
        <span className="visually-hidden">Delete selected</span>
      </button>
      <span className="toolbar-gap" />
      <button
        type="button"
        aria-label="Zoom in"
        title="Zoom in"
        onClick={() => controller.viewer?.zoomBy(1.5)}
      >
        <ZoomIn size={16} aria-hidden="true" />
      </button>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out"
        onClick={() => controller.viewer?.zoomBy(1 / 1.5)}
      >
        <ZoomOut size={16} aria-hidden="true" />
      </button>
      <button
        type="button"
        aria-label="Show the whole image"
        title="Show the whole image"
        onClick={() => controller.viewer?.home()}
      >
        <Maximize size={16} aria-hidden="true" />
      </button>
      <button
        type="button"
        aria-label="Copy a link to this view"
        title="Copy a link to this view"
        onClick={() => {
          void copyViewLink(controller);
        }}
      >
        <Link2 size={16} aria-hidden="true" />
      </button>
      <button
        type="button"
        aria-keyshortcuts="?"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={onHelp}
      >
        <Keyboard size={16} aria-hidden="true" /> <kbd>?</kbd>
      </button>
    </div>
  );
}

/** Copies the link to the current view; where the clipboard is refused, shows the link to copy. */
async function copyViewLink(controller: WorkspaceController): Promise<void> {
  const link = controller.viewLink();
  if (link === null) return;
  try {
    await navigator.clipboard.writeText(link);
    controller.say('Link to this view copied.');
  } catch {
    controller.say(`Link to this view: ${link}`);
  }
}
