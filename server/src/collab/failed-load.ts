import type { Document } from '@hocuspocus/server';

/**
 * Hocuspocus (4.8) neither keeps nor destroys a document whose load hooks threw: its awareness timer
 * then runs forever, and a process with one can never exit (seen as a server that ignored SIGTERM
 * after a load failed while the database was closing). A load hook that fails destroys it first.
 */
export function discardFailedLoad(document: Document): void {
  if (!document.isDestroyed) document.destroy();
}
