// The workspace's keys (EXACT's conventions where it has them): digits choose or relabel types,
// V / D / R pick the select, draw and rectangle-select tools, Delete removes the selection, Escape
// cancels, Enter finishes a polygon, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo. Review: F
// accepts the selection (EXACT's verify key), Shift+F rejects it, E goes to the next annotation that
// needs one's opinion (EXACT's "next" key), across the set's images.

export type KeyAction =
  | { kind: 'digit'; n: number }
  | { kind: 'tool'; tool: 'select' | 'draw' | 'area' }
  | { kind: 'delete' }
  | { kind: 'escape' }
  | { kind: 'finish' }
  | { kind: 'undo-vertex' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'verdict'; verified: boolean }
  | { kind: 'next-in-queue' };

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The action a key press means, or null (left to the browser and the viewer). */
export function keyAction(e: KeyInput, drawing: boolean): KeyAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
  if (mod && key === 'y') return { kind: 'redo' };
  if (mod || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: 'digit', n: Number(e.key) };
  switch (key) {
    case 'v':
      return { kind: 'tool', tool: 'select' };
    case 'd':
      return { kind: 'tool', tool: 'draw' };
    case 'r':
      return { kind: 'tool', tool: 'area' };
    case 'f':
      return { kind: 'verdict', verified: !e.shiftKey };
    case 'e':
      return { kind: 'next-in-queue' };
    case 'delete':
      return { kind: 'delete' };
    case 'backspace':
      return drawing ? { kind: 'undo-vertex' } : { kind: 'delete' };
    case 'escape':
      return { kind: 'escape' };
    case 'enter':
      return drawing ? { kind: 'finish' } : null;
    default:
      return null;
  }
}

/** Whether a key event comes from a control that takes text (then the workspace leaves it alone). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(target.type)
  );
}
