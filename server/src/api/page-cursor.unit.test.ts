import { describe, expect, it } from 'vitest';
import { cursorScope, PageCursors } from './page-cursor.js';

describe('signed page cursors', () => {
  const url = new URL('http://h/api/v1/annotations/annotations/?image=3&limit=1000&offset=1000');
  const scope = cursorScope(7, 'annotations', url);

  it('reads back what it signed, for the same scope and offset only', () => {
    const cursors = new PageCursors();
    const token = cursors.sign(scope, 1000, { after: 4242, knownCount: 100_000 });
    expect(cursors.read(token, scope, 1000)).toEqual({ after: 4242, knownCount: 100_000 });
    expect(cursors.read(token, scope, 2000)).toBeUndefined();
    expect(cursors.read(token, cursorScope(8, 'annotations', url), 1000)).toBeUndefined();
    const otherFilter = new URL('http://h/api/v1/annotations/annotations/?image=4&limit=1000&offset=1000');
    expect(cursors.read(token, cursorScope(7, 'annotations', otherFilter), 1000)).toBeUndefined();
  });

  it('ignores edited, foreign and malformed cursors', () => {
    const cursors = new PageCursors();
    const token = cursors.sign(scope, 1000, { after: 4242, knownCount: 100_000 });
    expect(cursors.read(token.replace('4242', '10'), scope, 1000)).toBeUndefined();
    expect(new PageCursors().read(token, scope, 1000)).toBeUndefined();
    for (const junk of ['', 'x', '1.2.3', `${token}x`, '1000.1.1.' + 'a'.repeat(43)])
      expect(cursors.read(junk, scope, 1000)).toBeUndefined();
  });

  it('binds to filters, not to page size, fields or parameter order', () => {
    const a = new URL('http://h/x/?image=3&deleted=false&limit=10&fields=id');
    const b = new URL('http://h/x/?deleted=false&image=3&limit=500&offset=20&cursor=z');
    expect(cursorScope(1, 'r', a)).toBe(cursorScope(1, 'r', b));
  });
});
