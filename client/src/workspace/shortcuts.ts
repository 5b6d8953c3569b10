// Every key of the workspace with what it does, for the shortcut help (keyboard.ts and
// screening-keys.ts hold the behaviour; shortcuts.unit.test.ts checks that each key they act on is here).

export interface Shortcut {
  readonly keys: string;
  readonly action: string;
}

export const SHORTCUT_GROUPS: readonly { readonly title: string; readonly keys: readonly Shortcut[] }[] = [
  {
    title: 'Drawing',
    keys: [
      { keys: '1-9', action: 'choose the n-th type; relabel the selection' },
      { keys: 'V / D / R', action: 'select, draw, select by rectangle' },
      { keys: 'Delete', action: 'delete the selection' },
      { keys: 'Enter / Backspace', action: 'finish a polygon / drop its last point' },
      { keys: 'Escape', action: 'cancel the shape or the selection' },
      { keys: 'Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y', action: 'undo / redo (either)' },
    ],
  },
  {
    title: 'Review',
    keys: [
      { keys: 'F', action: 'agree: accept the selection (proposals or others’ annotations)' },
      { keys: 'Shift+F', action: 'disagree: reject the selection' },
      { keys: 'E', action: 'next annotation in the set that needs your opinion' },
      { keys: 'Space / Page Down', action: 'screening: next field' },
      { keys: 'Shift+Space / Page Up', action: 'screening: previous field' },
    ],
  },
];
