// The server's stored copy of an image's annotation document (images/images/<id>/annotation_document/,
// server/src/collab README rule S1), fetched as soon as the page knows the image, while the rest of
// the workspace's data loads. In blind sets the server answers the reader's own copy.
import { decodeUpdateFrames } from '@tessera/shared';
import { documentSnapshotUrl, takeEarlyDocumentFetch } from '../early-document';

export class DocumentSnapshotLoader {
  private pending: Promise<Uint8Array[] | null> | undefined;
  private readonly early: AbortController;

  /** `user`: another reader's copy in a blind set (team admins); absent: the caller's own document. */
  constructor(
    private readonly imageId: number,
    private readonly user?: number,
  ) {
    // The shell may have started this fetch as the page loaded (early-document.ts).
    const started = user === undefined ? takeEarlyDocumentFetch(imageId) : undefined;
    this.early = started?.abort ?? new AbortController();
    this.pending = started ? this.readEarly(started.response) : this.fetchOnce(this.early.signal);
  }

  /** The stored updates: the early fetch the first time, a fresh one later; null if none could be had. */
  load(): Promise<Uint8Array[] | null> {
    const pending = this.pending;
    this.pending = undefined;
    return pending ?? this.fetchOnce();
  }

  /** A local copy came first: the early fetch is not needed. */
  cancel(): void {
    if (this.pending === undefined) return;
    this.early.abort();
    this.pending = undefined;
  }

  /**
   * The shell's early answer; refused, it is asked again once: it may have been sent before the
   * sign-in that brought the user back here.
   */
  private async readEarly(response: Promise<Response>): Promise<Uint8Array[] | null> {
    try {
      const answer = await response;
      if (answer.ok) return await this.read(answer);
    } catch {
      // As refused: asked again below.
    }
    return this.fetchOnce(this.early.signal);
  }

  private async fetchOnce(signal?: AbortSignal): Promise<Uint8Array[] | null> {
    try {
      const url = documentSnapshotUrl(this.imageId) + (this.user === undefined ? '' : `?user=${this.user}`);
      const response = await fetch(url, { credentials: 'same-origin', signal });
      return response.ok ? await this.read(response) : null;
    } catch {
      // Offline, aborted or refused: the live connection loads the document instead.
      return null;
    }
  }

  private async read(response: Response): Promise<Uint8Array[] | null> {
    try {
      const updates = decodeUpdateFrames(new Uint8Array(await response.arrayBuffer()));
      performance.mark('tessera:document-snapshot-fetched'); // read by bench/client
      return updates;
    } catch {
      // Cut off or malformed: the live connection loads the document instead.
      return null;
    }
  }
}
