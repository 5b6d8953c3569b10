import { describe, expect, it } from 'vitest';
import { keyAction } from './keyboard';
import { reviewKeyAction } from './review-keys';

const press = (key: string, o: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...o,
});

describe('reviewKeyAction', () => {
  it('gives F and Shift+F as the agree and disagree verdicts', () => {
    expect(reviewKeyAction(press('f'))).toEqual({ kind: 'verdict', agree: true });
    expect(reviewKeyAction(press('F', { shiftKey: true }))).toEqual({ kind: 'verdict', agree: false });
  });

  it('steps through screening fields with Space, Shift+Space, Page Down and Page Up', () => {
    expect(reviewKeyAction(press(' '))).toEqual({ kind: 'field', step: 1 });
    expect(reviewKeyAction(press(' ', { shiftKey: true }))).toEqual({ kind: 'field', step: -1 });
    expect(reviewKeyAction(press('PageDown'))).toEqual({ kind: 'field', step: 1 });
    expect(reviewKeyAction(press('PageUp'))).toEqual({ kind: 'field', step: -1 });
  });

  it('leaves modified keys to the browser and takes no drawing key for screening', () => {
    expect(reviewKeyAction(press('f', { ctrlKey: true }))).toBeNull();
    expect(reviewKeyAction(press('F', { altKey: true, shiftKey: true }))).toBeNull();
    for (const key of [' ', 'PageDown', 'PageUp']) {
      expect(keyAction(press(key), false)).toBeNull();
      expect(keyAction(press(key), true)).toBeNull();
    }
  });
});
