// Documents of the set other than the open one, opened in the background for a moment: to send the
// changes an image still holds in IndexedDB once the server is reachable again (the work of an
// offline session across a set), and to keep a whole set for offline work on request. Each one is a
// LiveDocument (IndexedDB copy, provider, refusal recovery), closed once it is saved.
import { DocumentSnapshotLoader } from './document-snapshot';
import { LiveDocument, type SyncState } from './live-document';
import { parseDocumentName } from '@tessera/shared';
import { imageOfDocument, pendingWork } from './offline-registry';
import { dziUrl, loadWorkspace, workspaceDocumentName } from './workspace-data';

/** How long one background document may take to sync before it is left for the next time. */
const SYNC_TIMEOUT_MS = 30_000;

/** The live documents' WebSocket address on this page's server. */
export function collabUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

/** Opens `name`, waits until it is saved, refused or the time is up, and closes it. */
async function syncOnce(
  name: string,
  snapshot: DocumentSnapshotLoader | null,
  userId: number,
): Promise<SyncState['kind']> {
  const live = new LiveDocument({
    name,
    snapshot,
    userId,
    url: collabUrl(),
    // Only used when the server refuses an update: the server checks whatever is written again.
    isValid: () => true,
  });
  try {
    return await new Promise<SyncState['kind']>((resolve) => {
      const timer = window.setTimeout(() => {
        resolve(live.getState().kind);
      }, SYNC_TIMEOUT_MS);
      const check = () => {
        const kind = live.getState().kind;
        if (kind === 'saved' || kind === 'refused') {
          window.clearTimeout(timer);
          resolve(kind);
        }
      };
      live.subscribe(check);
      check();
    });
  } finally {
    live.destroy();
  }
}

let running: Promise<void> | null = null;

/**
 * Sends the changes this user's other documents hold in IndexedDB, one document at a time (one run
 * at a time per page); the documents of the open image (`openDocument`'s, its regions' too) are left
 * to its workspace.
 */
export function sendPendingWork(userId: number, openDocument: string): Promise<void> {
  const openImage = imageOfDocument(openDocument);
  running ??= (async () => {
    try {
      for (const work of pendingWork(userId)) {
        if (work.imageId !== openImage && navigator.onLine) {
          // A region document has no stored copy to fetch (its sync brings it); an index document's
          // is the image's (S1).
          const region = parseDocumentName(work.document)?.part?.kind === 'region';
          await syncOnce(work.document, region ? null : new DocumentSnapshotLoader(work.imageId), userId);
        }
      }
    } finally {
      running = null;
    }
  })();
  return running;
}

/**
 * Keeps every image of a set ready for offline work: its REST data (the service worker keeps the
 * answers) and its document in IndexedDB. Calls `progress` after each image; returns how many were
 * kept.
 */
export async function keepForOffline(
  imageIds: readonly number[],
  userId: number,
  progress: (done: number) => void,
): Promise<number> {
  let kept = 0;
  for (const imageId of imageIds) {
    const data = await loadWorkspace(imageId);
    // The viewer opens with the DeepZoom descriptor (kept by the service worker like REST answers).
    await fetch(dziUrl(imageId, 1), { credentials: 'same-origin' });
    const snapshot = data.snapshot ?? new DocumentSnapshotLoader(imageId);
    // An image with regions keeps its index document (labels, the density of every region); its
    // region documents stay with the browser that opened them (G4), a million annotations not copied.
    const state = await syncOnce(workspaceDocumentName(data.image, data.imageSet, userId), snapshot, userId);
    if (state === 'saved') kept++;
    progress(kept);
  }
  return kept;
}
