import { describe, expect, it } from 'vitest';
import { keyAction } from '../workspace/keyboard';
import { screeningKeyAction } from './screening-keys';

const press = (key: string, o: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...o,
});

describe('screeningKeyAction', () => {
  it('leaves F and Shift+F to the workspace’s one verdict key (keyboard.ts)', () => {
    expect(screeningKeyAction(press('f'))).toBeNull();
    expect(screeningKeyAction(press('F', { shiftKey: true }))).toBeNull();
    expect(keyAction(press('f'), false)).toEqual({ kind: 'verdict', verified: true });
    expect(keyAction(press('F', { shiftKey: true }), false)).toEqual({ kind: 'verdict', verified: false });
  });

  it('steps through screening fields with Space, Shift+Space, Page Down and Page Up', () => {
    expect(screeningKeyAction(press(' '))).toEqual({ kind: 'field', step: 1 });
    expect(screeningKeyAction(press(' ', { shiftKey: true }))).toEqual({ kind: 'field', step: -1 });
    expect(screeningKeyAction(press('PageDown'))).toEqual({ kind: 'field', step: 1 });
    expect(screeningKeyAction(press('PageUp'))).toEqual({ kind: 'field', step: -1 });
  });

  it('leaves modified keys to the browser and takes no drawing key for screening', () => {
    expect(screeningKeyAction(press(' ', { ctrlKey: true }))).toBeNull();
    expect(screeningKeyAction(press('PageDown', { altKey: true }))).toBeNull();
    for (const key of [' ', 'PageDown', 'PageUp']) {
      expect(keyAction(press(key), false)).toBeNull();
      expect(keyAction(press(key), true)).toBeNull();
    }
  });
});
