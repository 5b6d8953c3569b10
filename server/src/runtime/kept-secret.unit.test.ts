import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keptSecret } from './kept-secret.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kept-secret-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keptSecret', () => {
  it('generates a secret once, keeps it owner-only and answers it again', async () => {
    const first = await keptSecret(path.join(dir, 'data'), 'tiler-secret');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await keptSecret(path.join(dir, 'data'), 'tiler-secret')).toBe(first);
    expect((await stat(path.join(dir, 'data', 'tiler-secret'))).mode & 0o777).toBe(0o600);
    expect(await readdir(path.join(dir, 'data'))).toEqual(['tiler-secret']);
  });

  it('gives processes starting at once the same secret', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => keptSecret(dir, 'tiler-secret')));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).not.toBe('');
    expect(await readdir(dir)).toEqual(['tiler-secret']);
  });

  it('refuses an empty kept file (a write cut short) rather than signing with an empty secret', async () => {
    await writeFile(path.join(dir, 'tiler-secret'), '');
    await expect(keptSecret(dir, 'tiler-secret')).rejects.toThrow(/tiler-secret is empty/);
  });
});
