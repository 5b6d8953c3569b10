import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeUpdateFrames } from '@tessera/shared';
import { SnapshotCache } from './snapshot-cache.js';

describe('SnapshotCache', () => {
  it('keeps a stored state as one gzipped update frame, with the id it was stored under', async () => {
    const cache = new SnapshotCache();
    const state = Uint8Array.from([1, 2, 3, 4, 5]);
    await cache.remember('image.7', 41, state);
    const cached = cache.get('image.7');
    expect(cached?.stateId).toBe(41);
    expect(decodeUpdateFrames(new Uint8Array(gunzipSync(cached?.gzipped ?? Buffer.alloc(0))))).toEqual([
      state,
    ]);
    cache.forget('image.7');
    expect(cache.get('image.7')).toBeUndefined();
  });

  it('a newer state wins over an older one still being compressed', async () => {
    const cache = new SnapshotCache();
    const older = cache.remember('image.7', 1, new Uint8Array(4_000_000).fill(7));
    const newer = cache.remember('image.7', 2, Uint8Array.from([9]));
    await Promise.all([older, newer]);
    expect(cache.get('image.7')?.stateId).toBe(2);
  });
});
