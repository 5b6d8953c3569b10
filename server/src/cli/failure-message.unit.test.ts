import { describe, expect, it } from 'vitest';
import { failureMessage } from './failure-message.js';

describe('failureMessage', () => {
  it('says something for every kind of throw, on one line, never a bare "undefined"', () => {
    expect(failureMessage(new Error('lock file\n  already exists'))).toBe('lock file already exists');
    expect(failureMessage(new Error('outer', { cause: new Error('inner') }))).toBe('outer (cause: inner)');
    expect(failureMessage(undefined)).toBe('failed without saying why (undefined thrown)');
    expect(failureMessage(null)).toBe('failed without saying why (null thrown)');
    expect(failureMessage('plain')).toBe('plain');
    expect(failureMessage({ message: 'shaped like an error' })).toBe('shaped like an error');
    expect(failureMessage({ code: 'E1', detail: 'x' })).toBe("{ code: 'E1', detail: 'x' }");
    expect(failureMessage(42)).toBe('42');
  });
});
