// The keys of review work, apart from the drawing keys (keyboard.ts): F and Shift+F give the agree
// and disagree verdicts (EXACT's verify key; accepting or rejecting the selected proposals, as the
// verification keys do for any annotation), Space and Shift+Space (or Page Down and Page Up) step
// through the fields of guided screening.
import type { KeyInput } from './keyboard';

export type ReviewAction = { kind: 'verdict'; agree: boolean } | { kind: 'field'; step: 1 | -1 };

/** The review action a key press means, or null. */
export function reviewKeyAction(e: KeyInput): ReviewAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'f':
    case 'F':
      return { kind: 'verdict', agree: !e.shiftKey };
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
