import { Hocuspocus, type Document, type Extension } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import type { DocumentStore } from './document-store.js';
import { PersistenceExtension } from './persistence.extension.js';

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
});
