// The workspace's keys (EXACT's conventions where it has them): digits choose the type new shapes get,
// Shift+digit relabels the selection (by the key's place, whatever the layout prints on it),
// V / D / R / P / B / M pick the select, draw, rectangle-select, freehand, brush and ruler tools,
// [ and ] size the brush, ? shows every key, Delete removes the selection, Escape
// cancels, Enter finishes a polygon, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo. Review: F
// accepts the selection (EXACT's verify key), Shift+F rejects it, E goes to the next annotation that
// needs one's opinion (EXACT's "next" key), across the set's images.

import type { Tool } from './interaction';

export type KeyAction =
  | { kind: 'digit'; n: number }
  | { kind: 'relabel'; n: number }
  | { kind: 'tool'; tool: Tool }
  | { kind: 'brush-size'; factor: number }
  | { kind: 'help' }
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
  /** The physical key (`Digit1`), where the event has it. */
  code?: string;
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
  const place = /^(?:Digit|Numpad)([1-9])$/.exec(e.code ?? '');
  if (e.shiftKey && place !== null) return { kind: 'relabel', n: Number(place[1]) };
  if (/^[1-9]$/.test(e.key)) return { kind: 'digit', n: Number(e.key) };
  if (e.key === '?') return { kind: 'help' };
  switch (key) {
    case 'v':
      return { kind: 'tool', tool: 'select' };
    case 'd':
      return { kind: 'tool', tool: 'draw' };
    case 'r':
      return { kind: 'tool', tool: 'area' };
    case 'p':
      return { kind: 'tool', tool: 'freehand' };
    case 'b':
      return { kind: 'tool', tool: 'brush' };
    case 'm':
      return { kind: 'tool', tool: 'ruler' };
    case '[':
      return { kind: 'brush-size', factor: 1 / 1.25 };
    case ']':
      return { kind: 'brush-size', factor: 1.25 };
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
