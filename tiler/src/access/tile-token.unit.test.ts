import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, signTileToken, verifyTileToken, type TileTokenPayload } from './tile-token.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const NOW = 1_800_000_000;
const PAYLOAD: TileTokenPayload = { v: 1, img: 7, src: 'set_1/slide.svs', exp: NOW + 60, scope: ['tiles'] };

// Signs arbitrary text exactly as signTileToken does, to test what lies behind a valid MAC.
function signRaw(text: string): string {
  const body = Buffer.from(text).toString('base64url');
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

describe('tile tokens', () => {
  it('round-trip a valid payload', () => {
    const token = signTileToken(SECRET, PAYLOAD);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyTileToken(SECRET, token, NOW)).toEqual({ ok: true, payload: PAYLOAD });
  });

  it('carry the optional output path for inspect', () => {
    const payload: TileTokenPayload = { ...PAYLOAD, scope: ['inspect'], out: 'set_1/slide.tiff' };
    expect(verifyTileToken(SECRET, signTileToken(SECRET, payload), NOW)).toEqual({ ok: true, payload });
  });

  it('refuse a token signed with another secret', () => {
    const token = signTileToken(`${SECRET}-other`, PAYLOAD);
    expect(verifyTileToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse a tampered payload or signature', () => {
    const token = signTileToken(SECRET, PAYLOAD);
    const [body = '', signature = ''] = token.split('.');
    const other = Buffer.from(JSON.stringify({ ...PAYLOAD, img: 8 })).toString('base64url');
    expect(verifyTileToken(SECRET, `${other}.${signature}`, NOW)).toMatchObject({ reason: 'bad-signature' });
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(verifyTileToken(SECRET, `${body}.${flipped}`, NOW)).toMatchObject({ reason: 'bad-signature' });
    expect(verifyTileToken(SECRET, `${body}.${signature.slice(0, -2)}`, NOW)).toMatchObject({
      reason: 'bad-signature',
    });
  });

  it('refuse an expired token, and accept it one second before expiry', () => {
    const token = signTileToken(SECRET, PAYLOAD);
    expect(verifyTileToken(SECRET, token, PAYLOAD.exp - 1)).toMatchObject({ ok: true });
    expect(verifyTileToken(SECRET, token, PAYLOAD.exp)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each(['', '.', 'abc', 'a.b.c', '.abc', 'abc.', 'a b.c', 'abc.d/e', `${'a'.repeat(9000)}.b`])(
    'refuse the malformed token %j',
    (token) => {
      expect(verifyTileToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
    },
  );

  it('refuse a correctly signed body that is not a valid payload', () => {
    expect(verifyTileToken(SECRET, signRaw('not json'), NOW)).toEqual({ ok: false, reason: 'bad-payload' });
    for (const body of [
      { ...PAYLOAD, src: '../outside.svs' },
      { ...PAYLOAD, src: '/etc/passwd' },
      { ...PAYLOAD, out: 'a/../../b' },
      { ...PAYLOAD, scope: ['everything'] },
      { ...PAYLOAD, v: 2 },
      { ...PAYLOAD, img: '7' },
      { ...PAYLOAD, extra: true },
      [PAYLOAD],
      null,
    ]) {
      expect(verifyTileToken(SECRET, signRaw(JSON.stringify(body)), NOW), JSON.stringify(body)).toEqual({
        ok: false,
        reason: 'bad-payload',
      });
    }
    expect(verifyTileToken(SECRET, signRaw(JSON.stringify(PAYLOAD)), NOW)).toMatchObject({ ok: true });
  });

  it('refuse to sign, and so never verify, unsafe paths or unknown scopes', () => {
    for (const src of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'a\0b', 'C:\\x', '\\\\host\\x', '']) {
      expect(() => signTileToken(SECRET, { ...PAYLOAD, src }), src).toThrow();
    }
    expect(() => signTileToken(SECRET, { ...PAYLOAD, out: '../x.tiff' })).toThrow();
    expect(() => signTileToken(SECRET, { ...PAYLOAD, scope: [] })).toThrow();
    expect(() => signTileToken(SECRET, { ...PAYLOAD, scope: ['admin' as 'tiles'] })).toThrow();
    expect(() => signTileToken(SECRET, { ...PAYLOAD, v: 2 as 1 })).toThrow();
  });
});

describe('isSafeRelativePath', () => {
  it.each([
    ['a/b.svs', true],
    ['a..b/c', true],
    ['..', false],
    ['a/..', false],
    ['a\\..\\b', false],
    ['/abs', false],
    ['D:/x', false],
  ])('%j -> %s', (path, safe) => {
    expect(isSafeRelativePath(path)).toBe(safe);
  });
});
