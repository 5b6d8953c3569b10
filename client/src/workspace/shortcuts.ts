// Every key of the workspace with what it does: the one table the shortcut sheet (`?`) and the help
// panel are drawn from (keyboard.ts and screening-keys.ts hold the behaviour; shortcuts.unit.test.ts
// checks that each key they act on is here, so the sheet cannot drift from the keys).

export interface Shortcut {
  readonly keys: string;
  readonly action: string;
}

export const SHORTCUT_GROUPS: readonly { readonly title: string; readonly keys: readonly Shortcut[] }[] = [
  {
    title: 'Drawing',
    keys: [
      { keys: '1-9', action: 'choose the n-th type for new shapes (the selection keeps its type)' },
      { keys: 'Shift+1-9', action: 'relabel the selection to the n-th type' },
      { keys: 'V / D / R', action: 'select and move, draw the type’s shape, select by rectangle' },
      { keys: 'P / B / M', action: 'freehand polygon, brush (Alt while painting erases), ruler' },
      { keys: '[ / ]', action: 'smaller / larger brush' },
      { keys: 'Delete', action: 'delete the selection' },
      { keys: 'Enter / Backspace', action: 'finish a polygon / drop its last point' },
      { keys: 'Escape', action: 'cancel the shape or the selection' },
      { keys: 'Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y', action: 'undo / redo (either)' },
      { keys: '?', action: 'show this list of keys' },
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
  {
    title: 'Pointer',
    keys: [
      { keys: 'Drag a shape', action: 'move it (no click first; a click selects it)' },
      { keys: 'Drag the image', action: 'pan; the wheel zooms' },
      { keys: 'Shift+drag', action: 'select by rectangle' },
      {
        keys: 'Alt+drag',
        action: 'brush: erase (from the polygon the stroke starts on, or the selected one)',
      },
      { keys: 'Double-click', action: 'finish a polygon or multi-line' },
    ],
  },
];
