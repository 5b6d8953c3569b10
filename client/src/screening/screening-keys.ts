// The keys of guided screening, apart from the workspace's other keys (keyboard.ts, which also holds
// the verdict keys F / Shift+F and E for every annotation, proposals included): Space and
// Shift+Space (or Page Down and Page Up) step through the fields. They act only while a plan is
// active, so they live with the screening panel.
import type { KeyInput } from '../workspace/keyboard';

export type ScreeningAction = { kind: 'field'; step: 1 | -1 };

/** The screening step a key press means, or null. */
export function screeningKeyAction(e: KeyInput): ScreeningAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case ' ':
      return { kind: 'field', step: e.shiftKey ? -1 : 1 };
    case 'PageDown':
      return { kind: 'field', step: 1 };
    case 'PageUp':
      return { kind: 'field', step: -1 };
    default:
      return null;
  }
}
