// The server's stored copy of an image's annotation document (images/images/<id>/annotation_document/,
// server/src/collab README rule S1), fetched as soon as the page knows the image, while the rest of
// the workspace's data loads. In blind sets the server answers the reader's own copy.
import { decodeUpdateFrames } from '@tessera/shared';
import { documentSnapshotUrl, takeEarlyDocumentFetch } from '../early-document';

/** The response header naming the document the stored updates are of (server rule S1). */
const DOCUMENT_HEADER = 'X-Tessera-Document';

interface Snapshot {
  /** The document the server answered (null from a server that does not say). */
  readonly document: string | null;
  readonly updates: Uint8Array[];
}

export class DocumentSnapshotLoader {
  private pending: Promise<Snapshot | null> | undefined;
  private readonly early: AbortController;

  /**
   * `user`: a reader's copy in a blind set (another's: team admins); absent: the caller's own document.
   * `region`: one region document (`<x>.<y>`) of an image with regions, loaded as the view reaches it.
   */
  constructor(
    private readonly imageId: number,
    private readonly user?: number,
    private readonly region?: string,
  ) {
    // The shell may have started this fetch as the page loaded (early-document.ts).
    const started = user === undefined && region === undefined ? takeEarlyDocumentFetch(imageId) : undefined;
    this.early = started?.abort ?? new AbortController();
    this.pending = started ? this.readEarly(started.response) : this.fetchOnce(this.early.signal);
  }

  /**
   * The stored updates: the early fetch the first time, a fresh one later; null if none could be had,
   * or if the server answered another document than `document` (an image converted to regions
   * answers its index document, G6: never applied to the whole one).
   */
  async load(document?: string): Promise<Uint8Array[] | null> {
    const pending = this.pending;
    this.pending = undefined;
    const snapshot = await (pending ?? this.fetchOnce());
    if (snapshot === null) return null;
    if (document !== undefined && snapshot.document !== null && snapshot.document !== document) return null;
    return snapshot.updates;
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
  private async readEarly(response: Promise<Response>): Promise<Snapshot | null> {
    try {
      const answer = await response;
      if (answer.ok) return await this.read(answer);
    } catch {
      // As refused: asked again below.
    }
    return this.fetchOnce(this.early.signal);
  }

  private async fetchOnce(signal?: AbortSignal): Promise<Snapshot | null> {
    try {
      const query = new URLSearchParams();
      if (this.user !== undefined) query.set('user', String(this.user));
      if (this.region !== undefined) query.set('region', this.region);
      const url = documentSnapshotUrl(this.imageId) + (query.size === 0 ? '' : `?${query.toString()}`);
      const response = await fetch(url, { credentials: 'same-origin', signal });
      return response.ok ? await this.read(response) : null;
    } catch {
      // Offline, aborted or refused: the live connection loads the document instead.
      return null;
    }
  }

  private async read(response: Response): Promise<Snapshot | null> {
    try {
      const updates = decodeUpdateFrames(new Uint8Array(await response.arrayBuffer()));
      performance.mark('tessera:document-snapshot-fetched'); // read by bench/client
      return { document: response.headers.get(DOCUMENT_HEADER), updates };
    } catch {
      // Cut off or malformed: the live connection loads the document instead.
      return null;
    }
  }
}
