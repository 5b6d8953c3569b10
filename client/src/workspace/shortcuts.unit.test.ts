// The shortcut help lists every key the workspace acts on: each key press that keyboard.ts or
// screening-keys.ts maps to an action has its name among the listed keys.
import { describe, expect, it } from 'vitest';
import { keyAction, type KeyInput } from './keyboard';
import { screeningKeyAction } from '../screening/screening-keys';
import { SHORTCUT_GROUPS } from './shortcuts';

const listed = new Set(SHORTCUT_GROUPS.flatMap((g) => g.keys.flatMap((k) => k.keys.split(/\s*\/\s*/))));

const NAMES: Record<string, string> = { ' ': 'Space', PageDown: 'Page Down', PageUp: 'Page Up' };

/** The name the help gives a key press, as in "Ctrl+Shift+Z". */
function nameOf(e: KeyInput): string {
  const key = NAMES[e.key] ?? (e.key.length === 1 ? e.key.toUpperCase() : e.key);
  return `${e.ctrlKey ? 'Ctrl+' : ''}${e.shiftKey ? 'Shift+' : ''}${key}`;
}

const presses = (): KeyInput[] => {
  const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
  const keys = [...letters, ' ', 'PageDown', 'PageUp', 'Delete', 'Escape', 'Enter', '?', '[', ']'];
  return keys.flatMap((key) =>
    [false, true].flatMap((ctrlKey) =>
      [false, true].map((shiftKey) => ({ key, ctrlKey, shiftKey, metaKey: false, altKey: false })),
    ),
  );
};

describe('SHORTCUT_GROUPS', () => {
  it('names every key press the workspace acts on, the review keys F, Shift+F and E included', () => {
    const actionOf = (e: KeyInput) =>
      JSON.stringify([keyAction(e, false), keyAction(e, true), screeningKeyAction(e)]);
    const none = actionOf({
      key: 'Unidentified',
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
    });
    // A press counts when it acts, and a Shift variant only when Shift changes what it does.
    const acted = presses().filter(
      (e) => actionOf(e) !== none && !(e.shiftKey && actionOf(e) === actionOf({ ...e, shiftKey: false })),
    );
    const names = acted.map(nameOf);
    expect(names).toEqual(
      expect.arrayContaining(['F', 'Shift+F', 'E', 'Space', 'Shift+Space', 'P', 'B', 'M', '?', '[', ']']),
    );
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('names the digits, Shift+digits and Backspace', () => {
    const seven = {
      key: '7',
      code: 'Digit7',
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
    };
    expect(keyAction(seven, false)).toEqual({ kind: 'digit', n: 7 });
    expect(keyAction({ ...seven, key: '&', shiftKey: true }, false)).toEqual({ kind: 'relabel', n: 7 });
    expect(listed.has('1-9')).toBe(true);
    expect(listed.has('Shift+1-9')).toBe(true);
    expect(listed.has('Backspace')).toBe(true);
  });
});
