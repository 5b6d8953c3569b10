// Other readers' copies of an image in a blind set, for the team admins who review them (server rule
// A3 lets them open every copy). Each copy is a live document of its own, mirrored into its own
// spatial index and drawn over the image beside the admin's own copy, which stays the one they edit.
import type { Annotation } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { mirrorDocument } from './document-binding';
import { DocumentSnapshotLoader } from './document-snapshot';
import { LiveDocument } from './live-document';
import type { OverlayLayer } from './overlay-renderer';

/** Which readers' copies are shown besides one's own. */
export type ReaderView =
  | { readonly kind: 'own' }
  | { readonly kind: 'reader'; readonly userId: number }
  /** Every reader's copy, each in the reader's colour, drawn together. */
  | { readonly kind: 'side-by-side' }
  /** Every reader's copy drawn together in the types' colours, as one reading. */
  | { readonly kind: 'merged' };

export interface Reader {
  readonly id: number;
  readonly name: string;
  readonly color: string;
}

export interface ReaderCopiesOptions {
  readonly imageId: number;
  readonly width: number;
  readonly height: number;
  /** The admin looking (their own copy is the workspace's main document). */
  readonly userId: number;
  readonly url: string;
  readonly isValid: (annotation: Annotation) => boolean;
  /** Something to draw changed: a copy opened, closed or changed. */
  readonly onChange: () => void;
}

interface OpenCopy {
  readonly reader: Reader;
  readonly live: LiveDocument;
  readonly index: AnnotationIndex;
  readonly stop: () => void;
}

/** The readers' copies a team admin has open, and how they are drawn. */
export class ReaderCopies {
  private readonly open = new Map<number, OpenCopy>();
  private current: ReaderView = { kind: 'own' };

  constructor(private readonly options: ReaderCopiesOptions) {}

  get view(): ReaderView {
    return this.current;
  }

  /** Shows `view` of `readers` (others than the admin): opens the copies it needs, closes the rest. */
  show(view: ReaderView, readers: readonly Reader[]): void {
    this.current = view;
    const others = readers.filter((r) => r.id !== this.options.userId);
    const wanted =
      view.kind === 'own' ? [] : view.kind === 'reader' ? others.filter((r) => r.id === view.userId) : others;
    const ids = new Set(wanted.map((r) => r.id));
    for (const [id, copy] of this.open) {
      if (!ids.has(id)) this.close(id, copy);
    }
    for (const reader of wanted) {
      if (!this.open.has(reader.id)) this.open.set(reader.id, this.openCopy(reader));
    }
    this.options.onChange();
  }

  /** What the renderer draws besides the admin's own copy. */
  layers(): OverlayLayer[] {
    const own = this.current.kind === 'side-by-side';
    return [...this.open.values()].map((c) => ({ index: c.index, color: own ? c.reader.color : null }));
  }

  /** Each open copy's reader and how many live annotations it holds (the legend, the tests). */
  shown(): { reader: Reader; annotations: number }[] {
    return [...this.open.values()].map((c) => ({ reader: c.reader, annotations: c.index.size }));
  }

  destroy(): void {
    for (const [id, copy] of this.open) this.close(id, copy);
  }

  private openCopy(reader: Reader): OpenCopy {
    const { imageId, userId, url, isValid } = this.options;
    const live = new LiveDocument({
      name: `image.${imageId}.user.${reader.id}`,
      snapshot: new DocumentSnapshotLoader(imageId, reader.id),
      userId,
      url,
      isValid,
    });
    const index = new AnnotationIndex(this.options.width, this.options.height);
    const stop = mirrorDocument(live.doc, index, this.options.onChange);
    return { reader, live, index, stop };
  }

  private close(id: number, copy: OpenCopy): void {
    copy.stop();
    copy.live.destroy();
    this.open.delete(id);
  }
}

/**
 * Drops this browser's stored copies of an image's per-reader documents once its set is not blind:
 * the server merged them into the shared document and removed them (server rule B1), and a stale
 * copy would otherwise be sent back into a fresh one should the set become blind again.
 */
export async function forgetReaderCopies(imageId: number): Promise<void> {
  const prefix = `tessera:image.${imageId}.user.`;
  const stored = (await indexedDB.databases()).flatMap((d) => (d.name?.startsWith(prefix) ? [d.name] : []));
  await Promise.all(
    stored.map(
      (name) =>
        new Promise<void>((resolve) => {
          const deleting = indexedDB.deleteDatabase(name);
          // Blocked or failed: left for the next visit, nothing depends on it.
          deleting.onsuccess =
            deleting.onerror =
            deleting.onblocked =
              () => {
                resolve();
              };
        }),
    ),
  );
}
