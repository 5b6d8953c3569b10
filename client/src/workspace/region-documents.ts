// The region documents of an image with regions that this browser holds (docs/SPEC-collab.md, G4):
// opened and closed as the view moves (region-choice.ts), each a live document of its own (kept in
// IndexedDB like a whole image's, so the regions open offline stay readable and writable), mirrored
// into the workspace's one spatial index and verdict mirror, which thus see the union of the loaded
// documents. The index document (the workspace's main document) says where the regions' annotations
// lie; the density of the regions not open is drawn from it (region-density.ts).
import type * as Y from 'yjs';
import {
  formatDocumentName,
  parseDocumentName,
  parseRegionKey,
  regionKey,
  type Annotation,
  type RegionSummary,
} from '@tessera/shared';
import type { AnnotationIndex } from './annotation-index';
import type { ConflictLog } from './conflict-log';
import { mirrorPart } from './document-binding';
import type { Rect } from './geometry';
import { DocumentSnapshotLoader } from './document-snapshot';
import { LiveDocument, type SyncState } from './live-document';
import { pendingWork, setPendingWork } from './offline-registry';
import { chooseRegions } from './region-choice';
import { RegionDensity } from './region-density';
import type { VerdictIndex } from './verdict-index';

export interface RegionDocumentsOptions {
  readonly imageId: number;
  /** The reader whose copy this is in a blind set, else null. */
  readonly copyOf: number | null;
  readonly size: number;
  /** The signed-in user (IndexedDB names, pending work). */
  readonly userId: number;
  readonly url: string;
  readonly isValid: (annotation: Annotation) => boolean;
  readonly index: AnnotationIndex;
  readonly verdicts: VerdictIndex;
  /** Which open document holds each loaded annotation (shared with the router). */
  readonly owners: Map<string, Y.Doc>;
  /** Something to draw or list changed. */
  readonly onChange: () => void;
  readonly onRevoked?: () => void;
  /** The workspace's conflict log, which the regions' conflicts join (C1). */
  readonly conflicts?: ConflictLog;
  /** Names a Yjs client's user: presence is the index document's (G4). */
  readonly userOfClient?: (client: number) => number | null;
}

interface OpenRegion {
  readonly name: string;
  readonly live: LiveDocument;
  stop: () => void;
  readonly unsubscribe: () => void;
}

/** The open region documents of one image, chosen for the view. */
export class RegionDocuments {
  private readonly open = new Map<string, OpenRegion>();
  private summaries: ReadonlyMap<string, RegionSummary> = new Map();
  private view: Rect | null = null;
  /** The index's density of the regions not open (the renderer's extra density). */
  readonly density: RegionDensity;
  private destroyed = false;
  /** Told when a region opens, closes or changes its sync state (the status bar). */
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: RegionDocumentsOptions) {
    this.density = new RegionDensity(options.index.density, options.size);
    // Work an earlier page left unsent in regions of this image is sent now, wherever the view is;
    // those regions close once it is saved and they are far from the view.
    for (const work of pendingWork(options.userId)) {
      const name = parseDocumentName(work.document);
      if (name?.imageId !== options.imageId || name.userId !== options.copyOf) continue;
      if (name.part?.kind === 'region') this.ensure(regionKey(name.part.region));
    }
  }

  /** The region size in level-0 pixels. */
  get size(): number {
    return this.options.size;
  }

  /** The index document's summaries changed. */
  setIndex(summaries: ReadonlyMap<string, RegionSummary>): void {
    this.summaries = summaries;
    this.density.update(this.summaries, new Set(this.open.keys()));
    this.options.onChange();
    this.choose();
  }

  /** The view moved (image rectangle in level-0 pixels). */
  show(view: Rect): void {
    this.view = view;
    this.choose();
  }

  /** The keys of the open regions. */
  keys(): string[] {
    return [...this.open.keys()].sort();
  }

  /** The document of a region, opened when it is not open (a new shape is written into it, G1). */
  docFor(key: string): Y.Doc {
    return this.ensure(key).live.doc;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** How many annotations the open regions hold by the index (all loaded once each has synced). */
  indexedInOpen(): number {
    let count = 0;
    for (const key of this.open.keys()) count += this.summaries.get(key)?.count ?? 0;
    return count;
  }

  /** The sync states of the open regions. */
  states(): SyncState[] {
    return [...this.open.values()].map((r) => r.live.getState());
  }

  /** The live documents of the open regions (status, tests). */
  documents(): LiveDocument[] {
    return [...this.open.values()].map((r) => r.live);
  }

  destroy(): void {
    this.destroyed = true;
    for (const key of [...this.open.keys()]) this.close(key);
    this.listeners.clear();
  }

  /** Opens and closes regions for the current view and index (G4). */
  private choose(): void {
    if (this.destroyed || this.view === null) return;
    const unsent = new Set([...this.open].flatMap(([key, r]) => (r.live.unsent ? [key] : [])));
    const choice = chooseRegions({
      index: this.summaries,
      size: this.options.size,
      view: this.view,
      open: new Set(this.open.keys()),
      unsent,
    });
    // Called on every frame of a pan: nothing is recounted or redrawn unless a region came or went.
    if (choice.close.length === 0 && choice.open.length === 0) return;
    for (const key of choice.close) this.close(key);
    for (const key of choice.open) this.ensure(key);
    this.density.update(this.summaries, new Set(this.open.keys()));
    this.options.onChange();
  }

  private ensure(key: string): OpenRegion {
    const found = this.open.get(key);
    if (found !== undefined) return found;
    const region = parseRegionKey(key);
    if (region === null) throw new Error(`not a region: ${key}`);
    const { imageId, copyOf, userId, url, isValid } = this.options;
    let opened: OpenRegion | undefined = undefined;
    const name = formatDocumentName({ imageId, userId: copyOf, part: { kind: 'region', region } });
    const live = new LiveDocument({
      name,
      // Its stored copy over HTTP (S1), asked for now, while IndexedDB opens: applied without being
      // encoded again for listeners, and the server loads the live region meanwhile.
      snapshot: new DocumentSnapshotLoader(imageId, copyOf ?? undefined, key),
      userId,
      url,
      isValid,
      // After a refusal the region's document is a fresh Y.Doc: mirror that one instead.
      onReplaced: () => {
        if (opened === undefined) return;
        opened.stop();
        opened.stop = this.mirror(opened.live);
      },
      onRevoked: this.options.onRevoked,
      ...(this.options.conflicts === undefined ? {} : { conflicts: this.options.conflicts }),
      ...(this.options.userOfClient === undefined ? {} : { userOfClient: this.options.userOfClient }),
    });
    // Work sent since: a region kept open for it may now be closed.
    let wasUnsent = live.unsent;
    const unsubscribe = live.subscribe(() => {
      if (wasUnsent && !live.unsent)
        queueMicrotask(() => {
          this.choose();
        });
      wasUnsent = live.unsent;
      this.emit();
    });
    opened = { name, live, stop: this.mirror(live), unsubscribe };
    this.open.set(key, opened);
    this.density.update(this.summaries, new Set(this.open.keys()));
    this.emit();
    return opened;
  }

  private mirror(live: LiveDocument): () => void {
    const stopShapes = mirrorPart(live.doc, this.options.index, this.options.owners, this.options.onChange);
    const stopVerdicts = this.options.verdicts.followPart(live.doc, this.options.onChange);
    return () => {
      stopShapes();
      stopVerdicts();
    };
  }

  private close(key: string): void {
    const region = this.open.get(key);
    if (region === undefined) return;
    this.open.delete(key);
    region.unsubscribe();
    region.stop();
    // Closed with nothing of this user's unsent: a sync still under way left no work behind.
    if (!region.live.unsent) setPendingWork(this.options.userId, region.name, 0);
    region.live.destroy();
    this.density.update(this.summaries, new Set(this.open.keys()));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
