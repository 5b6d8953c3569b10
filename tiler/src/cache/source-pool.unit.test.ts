import { describe, expect, it } from 'vitest';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import type { ImageSource } from '../sources/image-source.js';
import { SlideError } from '../sources/slide-error.js';
import { SourcePool, type PooledSource } from './source-pool.js';

// A fake source that records whether it was closed.
function fakeOpener(): { opened: string[]; closed: string[]; open: (src: string) => Promise<PooledSource> } {
  const opened: string[] = [];
  const closed: string[] = [];
  const open = (src: string): Promise<PooledSource> => {
    opened.push(src);
    const source: ImageSource = {
      vendor: 'fake',
      levels: [{ width: 10, height: 10, downsample: 1 }],
      properties: new Map(),
      associatedImages: [],
      readRegion: () => Promise.reject(new Error('not used')),
      readAssociatedImage: () => Promise.reject(new Error('not used')),
      close: () => {
        closed.push(src);
        return Promise.resolve();
      },
    };
    return Promise.resolve({ src, source, geometry: new DeepZoomGeometry(source), identity: src });
  };
  return { opened, closed, open };
}

describe('SourcePool', () => {
  it('opens a source once for concurrent users', async () => {
    const fake = fakeOpener();
    const pool = new SourcePool(fake.open, 2);
    const results = await Promise.all([1, 2, 3].map(() => pool.use('a', (p) => p.src)));
    expect(results).toEqual(['a', 'a', 'a']);
    expect(fake.opened).toEqual(['a']);
  });

  it('closes the least recently used source, but only once its requests are done', async () => {
    const fake = fakeOpener();
    const pool = new SourcePool(fake.open, 2);
    let finish: () => void = () => undefined;
    const long = pool.use('a', () => new Promise<void>((resolve) => (finish = resolve)));
    await pool.use('b', () => undefined);
    await pool.use('c', () => undefined); // evicts a, which is still in use
    expect(fake.closed).toEqual([]);
    expect(pool.size).toBe(2);
    finish();
    await long;
    expect(fake.closed).toEqual(['a']);
    await pool.use('b', () => undefined); // b is now most recent
    await pool.use('d', () => undefined);
    expect(fake.closed).toEqual(['a', 'c']);
  });

  it('drops a source whose handle failed, and reopens it for the next request', async () => {
    const fake = fakeOpener();
    const pool = new SourcePool(fake.open, 4);
    await expect(
      pool.use('a', () => Promise.reject(new SlideError('read-failed', 'Bogus marker length'))),
    ).rejects.toThrow('Bogus');
    expect(fake.closed).toEqual(['a']);
    await pool.use('a', () => undefined);
    expect(fake.opened).toEqual(['a', 'a']);
    // Other errors leave the source open.
    await expect(pool.use('a', () => Promise.reject(new Error('other')))).rejects.toThrow('other');
    expect(fake.closed).toEqual(['a']);
  });

  it('closes everything on closeAll', async () => {
    const fake = fakeOpener();
    const pool = new SourcePool(fake.open, 4);
    await pool.use('a', () => undefined);
    await pool.use('b', () => undefined);
    await pool.closeAll();
    expect(fake.closed.sort()).toEqual(['a', 'b']);
    expect(pool.size).toBe(0);
  });
});
