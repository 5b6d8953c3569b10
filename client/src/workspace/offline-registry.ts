// What this browser remembers about a user's documents across reloads, beside their IndexedDB copies:
// the Yjs client ids its pages wrote under (a reload starts a new one, and an older page's offline
// values can still lose a conflict on reconnect), and how many changes of each image wait for the
// server (listed in the workspace, and the reason leaving the page warns). localStorage, per user.
import { parseDocumentName } from '@tessera/shared';

/** How many client ids of one document are remembered (one per page load). */
const CLIENT_LIMIT = 50;

/** One document's changes that the server has not acknowledged yet. */
export interface PendingWork {
  readonly document: string;
  readonly imageId: number;
  readonly pending: number;
  /** When the count last changed. */
  readonly at: number;
}

function read<T>(key: string, fallback: T): T {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // A full or disabled storage only loses the listing; the work itself is in IndexedDB.
  }
}

/** Adds `clientId` to the client ids this browser wrote `storageName` under; returns them all. */
export function rememberClient(storageName: string, clientId: number): ReadonlySet<number> {
  const key = `${storageName}:clients`;
  const known = read<unknown>(key, []);
  const ids = Array.isArray(known) ? known.filter((id): id is number => Number.isInteger(id)) : [];
  if (!ids.includes(clientId)) ids.push(clientId);
  const kept = ids.slice(-CLIENT_LIMIT);
  write(key, kept);
  return new Set(kept);
}

const pendingKey = (userId: number) => `tessera:pending:user.${userId}`;

/** The image id in a document name (`image.<id>`, `image.<id>.user.<uid>`, either's regions). */
export function imageOfDocument(document: string): number | null {
  return parseDocumentName(document)?.imageId ?? null;
}

/** Every document of this user with changes waiting, most recent first. */
export function pendingWork(userId: number): PendingWork[] {
  const stored = read<Record<string, { pending?: unknown; at?: unknown }>>(pendingKey(userId), {});
  const list: PendingWork[] = [];
  for (const [document, entry] of Object.entries(stored)) {
    const imageId = imageOfDocument(document);
    if (imageId === null || typeof entry.pending !== 'number' || entry.pending <= 0) continue;
    list.push({ document, imageId, pending: entry.pending, at: typeof entry.at === 'number' ? entry.at : 0 });
  }
  return list.sort((a, b) => b.at - a.at);
}

/** Records how many changes of `document` wait (0 forgets it); tells other pages of the origin. */
export function setPendingWork(userId: number, document: string, pending: number): void {
  const key = pendingKey(userId);
  const stored = new Map(Object.entries(read<Record<string, unknown>>(key, {})));
  const had = (stored.get(document) as { pending?: unknown } | undefined)?.pending ?? 0;
  if (had === pending) return;
  if (pending > 0) stored.set(document, { pending, at: Date.now() });
  else stored.delete(document);
  write(key, Object.fromEntries(stored));
  window.dispatchEvent(new Event(PENDING_EVENT));
}

/** Fired on `window` when this page changes the pending counts (other pages get `storage`). */
export const PENDING_EVENT = 'tessera:pending-work';
