import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeUpdateFrames } from '@tessera/shared';
import { DocumentSnapshotLoader } from './document-snapshot';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DocumentSnapshotLoader', () => {
  it('fetches at once, hands that answer out first and fetches again after', async () => {
    const body = encodeUpdateFrames([new Uint8Array([1, 2]), new Uint8Array([3])]);
    const fetch = vi.fn((_url: string) => Promise.resolve(new Response(new Uint8Array(body))));
    vi.stubGlobal('fetch', fetch);
    const loader = new DocumentSnapshotLoader(42);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/images/images/42/annotation_document/');
    expect(await loader.load()).toEqual([new Uint8Array([1, 2]), new Uint8Array([3])]);
    expect(await loader.load()).toHaveLength(2);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('answers null for a document other than the one asked for (an image converted to regions)', async () => {
    const body = encodeUpdateFrames([new Uint8Array([1])]);
    const answer = (document: string) => () =>
      Promise.resolve(new Response(new Uint8Array(body), { headers: { 'X-Tessera-Document': document } }));
    vi.stubGlobal('fetch', answer('image.7.regions'));
    expect(await new DocumentSnapshotLoader(7).load('image.7')).toBeNull();
    expect(await new DocumentSnapshotLoader(7).load('image.7.regions')).toEqual([new Uint8Array([1])]);
    vi.stubGlobal('fetch', answer('image.7'));
    expect(await new DocumentSnapshotLoader(7).load('image.7')).toEqual([new Uint8Array([1])]);
  });

  it('answers null when the copy cannot be had: refused, offline, cut off or cancelled', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('no', { status: 404 })));
    expect(await new DocumentSnapshotLoader(1).load()).toBeNull();
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await new DocumentSnapshotLoader(1).load()).toBeNull();
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(new Uint8Array([0, 0, 0, 9, 1]))));
    expect(await new DocumentSnapshotLoader(1).load()).toBeNull();

    let signal: AbortSignal | undefined;
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise(() => undefined);
    });
    const cancelled = new DocumentSnapshotLoader(1);
    cancelled.cancel();
    expect(signal?.aborted).toBe(true);
  });
});
