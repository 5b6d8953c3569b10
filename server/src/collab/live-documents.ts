import type * as Y from 'yjs';
import { AppError } from '../errors/app-error.js';
import type { Collaboration } from './collab.server.js';
import type { MergeSummary } from './reader-copies.js';

/**
 * The REST layer's handle on the live documents. The documents attach to the HTTP server after it
 * listens, while the services are made before; this port connects the two once both exist.
 */
export class LiveDocumentsPort {
  private collab: Collaboration | undefined;
  private readonly attachListeners: ((collab: Collaboration) => void)[] = [];

  attach(collab: Collaboration): void {
    this.collab = collab;
    for (const listener of this.attachListeners) listener(collab);
  }

  /** Calls `listener` when the live documents attach (the metrics observe them from then on). */
  onAttach(listener: (collab: Collaboration) => void): void {
    this.attachListeners.push(listener);
    if (this.collab !== undefined) listener(this.collab);
  }

  /** The attached live documents, if any (a command-line process has none). */
  get attached(): Collaboration | undefined {
    return this.collab;
  }

  /** A snapshot of this document was just sent: load it for the connection that follows (rule S1). */
  warm(name: string, userId: number): void {
    this.collab?.warm(name, userId);
  }

  /**
   * A set stopped being blind: its readers' copies move into the shared documents now (rule B1).
   * Without running live documents (a command-line process) the next server start does it.
   */
  async mergeReaderCopies(imageSetId: number): Promise<MergeSummary | undefined> {
    return this.collab?.mergeReaderCopies(imageSetId);
  }

  /**
   * Sends a message to the clients that have this document open on this server (Hocuspocus stateless
   * message, nothing stored); none when it is not loaded here.
   */
  notify(name: string, payload: string): void {
    this.collab?.hocuspocus.documents.get(name)?.broadcastStateless(payload);
  }

  /**
   * Changes a document like a client would (validated by the caller) and waits for log and projection;
   * `userId` null for the server's own writes (rule P5: a conversion's copies).
   */
  write(name: string, change: (doc: Y.Doc) => void, userId: number | null): Promise<void> {
    if (!this.collab) throw new AppError('service_unavailable', 'The live documents are not running.');
    return this.collab.write(name, change, userId);
  }
}
