import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeUpdateFrames } from '@tessera/shared';
import { startEarlyDocumentFetch, takeEarlyDocumentFetch } from './early-document';
import { DocumentSnapshotLoader } from './workspace/document-snapshot';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const frames = () => new Uint8Array(encodeUpdateFrames([new Uint8Array([1, 2])]));

describe('the early fetch of a document', () => {
  it("starts only on a live image's workspace, and is taken once, for that image", () => {
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    vi.stubGlobal('fetch', fetch);
    for (const [pathname, search] of [
      ['/images/7/x', ''],
      ['/image_sets/7', ''],
      ['/images/7', '?version=3'],
    ] as const)
      startEarlyDocumentFetch({ pathname, search });
    expect(fetch).not.toHaveBeenCalled();
    startEarlyDocumentFetch({ pathname: '/images/7', search: '' });
    expect(fetch).toHaveBeenCalledWith('/api/v1/images/images/7/annotation_document/', expect.anything());
    expect(takeEarlyDocumentFetch(8)).toBeUndefined();
    expect(takeEarlyDocumentFetch(7)?.imageId).toBe(7);
    expect(takeEarlyDocumentFetch(7)).toBeUndefined();
  });

  it('is what the workspace loader reads, without a second request', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response(frames())));
    vi.stubGlobal('fetch', fetch);
    startEarlyDocumentFetch({ pathname: '/images/9/', search: '' });
    const loader = new DocumentSnapshotLoader(9);
    expect(await loader.load()).toEqual([new Uint8Array([1, 2])]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('is asked again when it was refused (sent before a sign-in)', async () => {
    const answers = [new Response('no', { status: 404 }), new Response(frames())];
    const fetch = vi.fn(() => Promise.resolve(answers.shift() as Response));
    vi.stubGlobal('fetch', fetch);
    startEarlyDocumentFetch({ pathname: '/images/5', search: '' });
    expect(await new DocumentSnapshotLoader(5).load()).toEqual([new Uint8Array([1, 2])]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('is dropped and aborted when nobody takes it within 30 s', () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise(() => undefined);
    });
    startEarlyDocumentFetch({ pathname: '/images/3', search: '' });
    vi.advanceTimersByTime(29_000);
    expect(signal?.aborted).toBe(false);
    vi.advanceTimersByTime(2_000);
    expect(signal?.aborted).toBe(true);
    expect(takeEarlyDocumentFetch(3)).toBeUndefined();
  });
});
