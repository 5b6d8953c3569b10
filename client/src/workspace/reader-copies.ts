// Other readers' copies of an image in a blind set, for the team admins who review them (server rule
// A3 lets them open every copy). Each copy is a live document of its own, mirrored into its own
// spatial index and drawn over the image beside the admin's own copy, which stays the one they edit.
// On an image with regions a copy is the reader's index document and their region documents near the
// view (G4), loaded as the admin's own are.
import type * as Y from 'yjs';
import { formatDocumentName, readRegionIndex, regionIndexOf, type Annotation } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { mirrorDocument, mirrorPart } from './document-binding';
import { DocumentSnapshotLoader } from './document-snapshot';
import type { Rect } from './geometry';
import { LiveDocument } from './live-document';
import type { OverlayLayer } from './overlay-renderer';
import { RegionDocuments } from './region-documents';
import { VerdictIndex } from './verdict-index';

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
  /** The image's region size (G1), or null: each copy is then one document. */
  readonly regionSize: number | null;
  /** Something to draw changed: a copy opened, closed or changed. */
  readonly onChange: () => void;
}

interface OpenCopy {
  readonly reader: Reader;
  readonly live: LiveDocument;
  readonly index: AnnotationIndex;
  /** The reader's region documents near the view, on an image with regions. */
  readonly regions: RegionDocuments | null;
  readonly stop: () => void;
}

/** The readers' copies a team admin has open, and how they are drawn. */
export class ReaderCopies {
  private readonly open = new Map<number, OpenCopy>();
  private current: ReaderView = { kind: 'own' };
  private visible: Rect | null = null;

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

  /** The view moved: the copies of an image with regions load the regions there (G4). */
  showView(view: Rect): void {
    this.visible = view;
    for (const copy of this.open.values()) copy.regions?.show(view);
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
    const { imageId, userId, url, isValid, regionSize, onChange } = this.options;
    const name =
      regionSize === null
        ? `image.${imageId}.user.${reader.id}`
        : formatDocumentName({ imageId, userId: reader.id, part: { kind: 'index' } });
    const live = new LiveDocument({
      name,
      snapshot: new DocumentSnapshotLoader(imageId, reader.id),
      userId,
      url,
      isValid,
    });
    const index = new AnnotationIndex(this.options.width, this.options.height);
    if (regionSize === null)
      return { reader, live, index, regions: null, stop: mirrorDocument(live.doc, index, onChange) };
    const owners = new Map<string, Y.Doc>();
    const regions = new RegionDocuments({
      imageId,
      copyOf: reader.id,
      size: regionSize,
      userId,
      url,
      isValid,
      index,
      verdicts: new VerdictIndex(),
      owners,
      onChange,
    });
    const stopMirror = mirrorPart(live.doc, index, owners, onChange);
    const summaries = regionIndexOf(live.doc);
    const follow = () => {
      regions.setIndex(readRegionIndex(live.doc));
    };
    follow();
    summaries.observe(follow);
    if (this.visible !== null) regions.show(this.visible);
    const stop = () => {
      summaries.unobserve(follow);
      stopMirror();
      regions.destroy();
    };
    return { reader, live, index, regions, stop };
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
