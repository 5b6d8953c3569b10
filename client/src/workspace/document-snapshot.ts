// The server's stored copy of an image's annotation document (images/images/<id>/annotation_document/,
// server/src/collab README rule S1), fetched as soon as the page knows the image, while the rest of
// the workspace's data loads. In blind sets the server answers the reader's own copy.
import { decodeUpdateFrames } from '@tessera/shared';

export class DocumentSnapshotLoader {
  private pending: Promise<Uint8Array[] | null> | undefined;
  private readonly early = new AbortController();

  constructor(private readonly imageId: number) {
    this.pending = this.fetchOnce(this.early.signal);
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

  private async fetchOnce(signal?: AbortSignal): Promise<Uint8Array[] | null> {
    try {
      const url = `/api/v1/images/images/${this.imageId}/annotation_document/`;
      const response = await fetch(url, { credentials: 'same-origin', signal });
      if (!response.ok) return null;
      const updates = decodeUpdateFrames(new Uint8Array(await response.arrayBuffer()));
      performance.mark('tessera:document-snapshot-fetched'); // read by bench/client
      return updates;
    } catch {
      // Offline, aborted or refused: the live connection loads the document instead.
      return null;
    }
  }
}
