import { Hocuspocus } from '@hocuspocus/server';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { DocumentWarmer } from './document-warmer.js';

describe('DocumentWarmer (rule S1)', () => {
  const logger = createLogger('silent');

  it('loads a document, holds it for a while, then lets it go', async () => {
    const hocuspocus = new Hocuspocus({ quiet: true });
    const warmer = new DocumentWarmer(hocuspocus, logger, 100);
    warmer.warm('image.1', 7);
    warmer.warm('image.1', 7); // a second snapshot extends the hold, no second connection
    await expect.poll(() => hocuspocus.documents.get('image.1')?.getConnectionsCount()).toBe(1);
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 2000 }).toBe(0);
  });

  it('holds a document for the time the caller names', async () => {
    const hocuspocus = new Hocuspocus({ quiet: true });
    const warmer = new DocumentWarmer(hocuspocus, logger, 60_000);
    warmer.warm('image.1', null, 100);
    await expect.poll(() => hocuspocus.documents.get('image.1')?.getConnectionsCount()).toBe(1);
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 2000 }).toBe(0);
    await warmer.close();
  });

  it('lets every held document go at close, and warms nothing after', async () => {
    const hocuspocus = new Hocuspocus({ quiet: true });
    const warmer = new DocumentWarmer(hocuspocus, logger, 60_000);
    warmer.warm('image.1', 7);
    warmer.warm('image.2', 7);
    await warmer.close(); // even while the loads are still under way
    expect(hocuspocus.getDocumentsCount()).toBe(0);
    warmer.warm('image.3', 7);
    expect(hocuspocus.getDocumentsCount()).toBe(0);
  });

  it('survives a load that fails', async () => {
    const hocuspocus = new Hocuspocus({
      quiet: true,
      extensions: [{ onLoadDocument: () => Promise.reject(new Error('database gone')) }],
    });
    const failures = vi.spyOn(logger, 'warn');
    const warmer = new DocumentWarmer(hocuspocus, logger, 60_000);
    warmer.warm('image.1', 7);
    await vi.waitFor(() => {
      expect(failures).toHaveBeenCalledWith(
        expect.objectContaining({ document: 'image.1' }),
        'collab: warming a document failed',
      );
    });
    expect(hocuspocus.getDocumentsCount()).toBe(0);
    await warmer.close();
  });
});
