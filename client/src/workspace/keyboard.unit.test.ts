import { describe, expect, it } from 'vitest';
import { keyAction } from './keyboard';

const key = (
  k: string,
  o: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...o,
});

describe('keyAction', () => {
  it('maps digits, tool letters, delete, escape and undo/redo', () => {
    expect(keyAction(key('3'), false)).toEqual({ kind: 'digit', n: 3 });
    expect(keyAction(key('0'), false)).toBeNull();
    expect(keyAction(key('V'), false)).toEqual({ kind: 'tool', tool: 'select' });
    expect(keyAction(key('d'), false)).toEqual({ kind: 'tool', tool: 'draw' });
    expect(keyAction(key('r'), false)).toEqual({ kind: 'tool', tool: 'area' });
    expect(keyAction(key('Delete'), false)).toEqual({ kind: 'delete' });
    expect(keyAction(key('Escape'), true)).toEqual({ kind: 'escape' });
    expect(keyAction(key('z', { ctrlKey: true }), false)).toEqual({ kind: 'undo' });
    expect(keyAction(key('Z', { metaKey: true, shiftKey: true }), false)).toEqual({ kind: 'redo' });
    expect(keyAction(key('y', { ctrlKey: true }), false)).toEqual({ kind: 'redo' });
  });

  it('reads Backspace and Enter by whether a shape is being drawn', () => {
    expect(keyAction(key('Backspace'), true)).toEqual({ kind: 'undo-vertex' });
    expect(keyAction(key('Backspace'), false)).toEqual({ kind: 'delete' });
    expect(keyAction(key('Enter'), true)).toEqual({ kind: 'finish' });
    expect(keyAction(key('Enter'), false)).toBeNull();
  });

  it('maps the review keys: F accepts, Shift+F rejects, E is the next in the queue', () => {
    expect(keyAction(key('f'), false)).toEqual({ kind: 'verdict', verified: true });
    expect(keyAction(key('F', { shiftKey: true }), false)).toEqual({ kind: 'verdict', verified: false });
    expect(keyAction(key('e'), false)).toEqual({ kind: 'next-in-queue' });
    expect(keyAction(key('f', { ctrlKey: true }), false)).toBeNull();
  });

  it('chooses with a digit and relabels with Shift+digit, by the place of the key', () => {
    expect(keyAction(key('6'), false)).toEqual({ kind: 'digit', n: 6 });
    expect(keyAction({ ...key('^', { shiftKey: true }), code: 'Digit6' }, false)).toEqual({
      kind: 'relabel',
      n: 6,
    });
    expect(keyAction({ ...key('&', { shiftKey: true }), code: 'Digit7' }, true)).toEqual({
      kind: 'relabel',
      n: 7,
    });
    expect(keyAction({ ...key(')', { shiftKey: true }), code: 'Digit0' }, false)).toBeNull();
  });

  it('maps the freehand, brush and ruler tools, the brush size and the key sheet', () => {
    expect(keyAction(key('p'), false)).toEqual({ kind: 'tool', tool: 'freehand' });
    expect(keyAction(key('b'), false)).toEqual({ kind: 'tool', tool: 'brush' });
    expect(keyAction(key('m'), false)).toEqual({ kind: 'tool', tool: 'ruler' });
    expect(keyAction(key(']'), false)).toEqual({ kind: 'brush-size', factor: 1.25 });
    expect(keyAction(key('['), false)).toEqual({ kind: 'brush-size', factor: 0.8 });
    expect(keyAction(key('?', { shiftKey: true }), false)).toEqual({ kind: 'help' });
  });

  it('leaves browser shortcuts alone', () => {
    expect(keyAction(key('r', { ctrlKey: true }), false)).toBeNull();
    expect(keyAction(key('1', { altKey: true }), false)).toBeNull();
  });
});
