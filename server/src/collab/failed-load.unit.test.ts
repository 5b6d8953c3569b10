import { Hocuspocus, type Document, type Extension } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import type { DocumentStore } from './document-store.js';
import type { DocumentsRepo } from './documents.repo.js';
import { PersistenceExtension } from './persistence.extension.js';
import { ProjectionExtension } from './projection.extension.js';
import type { ProjectionRepo } from './projection.repo.js';

describe('a document whose load fails', () => {
  it('is destroyed, so its awareness timer cannot keep the process alive', async () => {
    const loaded: Document[] = [];
    const watch: Extension = {
      extensionName: 'watch',
      priority: 1000,
      onLoadDocument: ({ document }) => {
        loaded.push(document);
        return Promise.resolve();
      },
    };
    // A store whose read fails, as when the database is closing.
    const failing = { load: () => Promise.reject(new Error('Cannot use a pool after calling end')) };
    const hocuspocus = new Hocuspocus({
      quiet: true,
      extensions: [watch, new PersistenceExtension(failing as unknown as DocumentStore, () => true)],
    });
    await expect(hocuspocus.openDirectConnection('image.1')).rejects.toThrow(/pool/);
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.isDestroyed).toBe(true);
    expect(hocuspocus.getDocumentsCount()).toBe(0);
  });

  it('fails, destroyed, when the projection cannot read its rows, asked for as the load starts', async () => {
    const loaded: Document[] = [];
    const watch: Extension = {
      extensionName: 'watch',
      priority: 1000,
      onLoadDocument: ({ document }) => {
        loaded.push(document);
        return Promise.resolve();
      },
    };
    let asked = 0;
    const rows = {
      summary: () => {
        asked++;
        return Promise.reject(new Error('database gone'));
      },
    } as unknown as ProjectionRepo;
    const images = {
      imageAccess: () => Promise.resolve({ image_id: 1, image_set_id: 1 }),
    } as unknown as DocumentsRepo;
    const hocuspocus = new Hocuspocus({
      quiet: true,
      extensions: [watch, new ProjectionExtension(rows, images, createLogger('silent'))],
    });
    await expect(hocuspocus.openDirectConnection('image.1')).rejects.toThrow(/database gone/);
    expect(asked).toBe(1); // once, early: the failed answer is the one the check awaited
    expect(loaded[0]?.isDestroyed).toBe(true);
    expect(hocuspocus.getDocumentsCount()).toBe(0);
  });
});
