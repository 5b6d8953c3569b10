import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { vi } from 'vitest';

export interface LiveDocument {
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  /** Resolves once the server has acknowledged every local change. */
  saved(ms?: number): Promise<void>;
  close(): void;
}

/** A real Hocuspocus provider over WebSocket, authenticated with a personal access token. */
export async function openLiveDocument(baseUrl: string, name: string, token: string): Promise<LiveDocument> {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace(/^http/, 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.attach();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`document ${name} did not sync`));
    }, 10_000);
    provider.on('synced', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    doc,
    provider,
    saved(timeout = 10_000) {
      return vi.waitFor(
        () => {
          if (provider.unsyncedChanges > 0) throw new Error(`document ${name} still has unsaved changes`);
        },
        { timeout },
      );
    },
    close() {
      provider.destroy();
      socket.destroy();
    },
  };
}
