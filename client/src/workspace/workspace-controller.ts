// The workspace's state outside React: the live document bound to the spatial index, the editor, the
// tools, selection, frame, filters and presence. React reads a snapshot (useSyncExternalStore); the
// canvas is redrawn without React, so panning never re-renders components.
import type * as Y from 'yjs';
import {
  VectorType,
  annotationProblem,
  readRegionIndex,
  regionIndexOf,
  type Annotation,
  type AnnotationType,
  type AnnotationTypes,
  type SessionInfo,
} from '@tessera/shared';
import { AnnotationEditor } from './annotation-editor';
import { AnnotationIndex, type IndexedAnnotation } from './annotation-index';
import { collabUrl } from './background-documents';
import { mirrorDocument, mirrorPart } from './document-binding';
import { regionRouter, singleDocument, type DocumentRouter } from './document-router';
import { RegionDocuments } from './region-documents';
import { toVector, type Point, type Rect } from './geometry';
import { viewLink } from './view-link';
import { Interaction, POLYGON_TOOLS, type DrawType, type Tool } from './interaction';
import { finishStroke, finishTrace, type PolygonToolsHost } from './polygon-tools';
import { LiveDocument, type SyncState } from './live-document';
import { combineSync } from './region-sync';
import { VersionDocument } from './version-document';
import { ReaderCopies, forgetReaderCopies } from './reader-copies';
import {
  DETAIL_LIMIT,
  OverlayRenderer,
  visibleRect,
  type TypeStyle,
  type ViewTransform,
} from './overlay-renderer';
import { ProposalReview } from './proposal-review';
import { collaborators, colorOf } from './presence';
import { brushCursor, drawTypeOf, hitTestAt, isFreePolygon, measurement } from './tool-host';
import { ViewerBinding, type ImageFilters } from './viewer-binding';
import { ReviewState } from './review-state';
import { VerdictIndex } from './verdict-index';
import { castRoutedVerdicts } from './verdicts';
import { verdictMark } from './verdict-marks';
import { DocumentSnapshotLoader } from './document-snapshot';
import { regionSizeOf, typeRules, workspaceDocumentName, type WorkspaceData } from './workspace-data';
import { initialSnapshot, type WorkspaceSnapshot } from './workspace-snapshot';

export type { WorkspaceSnapshot };

/** Why the list or the review queue cannot select a proposal it leads to. */
const HIDDEN_PROPOSAL =
  'This proposal is hidden (under the score threshold, or rejected): lower the threshold or show ' +
  'rejected proposals to select and judge it.';

/** Everything one open image needs outside React; `destroy()` closes the document and the viewer. */
export class WorkspaceController {
  /** The live document, or a dataset version's (read-only, unsynced) when the workspace shows one. */
  readonly live: LiveDocument | VersionDocument;
  readonly index: AnnotationIndex;
  readonly interaction: Interaction;
  readonly renderer = new OverlayRenderer();
  /** Drawn over the annotations each frame (a version diff); callers request a draw after a change. */
  readonly extraLayers = new Set<(ctx: CanvasRenderingContext2D, view: ViewTransform, dpr: number) => void>();
  readonly rules: AnnotationTypes;
  readonly styles: ReadonlyMap<number, TypeStyle>;
  readonly typesById: ReadonlyMap<number, AnnotationType>;
  /** Every verdict on this image's annotations: the one mirror proposals and review both read. */
  readonly verdicts = new VerdictIndex();
  /** The set's second-opinion rule over those verdicts. */
  readonly review: ReviewState;
  editor: AnnotationEditor;
  /** Algorithm proposals: threshold, state, how they are drawn, bulk accept. */
  readonly proposals: ProposalReview;
  viewer: ViewerBinding | null = null;
  /** Other readers' copies, in a blind set's live workspace (shown to team admins, ReaderPicker). */
  readonly readers: ReaderCopies | null;
  /**
   * The open region documents of an image with regions (G4); null for an ordinary image. `live` is
   * then the index document: image-level labels, presence, the region index.
   */
  readonly regions: RegionDocuments | null;
  /** Which document holds each loaded annotation (an image with regions: where its writes go). */
  readonly owners = new Map<string, Y.Doc>();
  /** Where writes go: the one document, or the regions' (document-router.ts). */
  private router!: DocumentRouter;
  private snapshot: WorkspaceSnapshot;
  private readonly listeners = new Set<() => void>();
  private unbindDoc: () => void = () => undefined;
  private readonly presence = new Map<string, { sent: number; value: unknown; timer: number | undefined }>();
  private notifyScheduled = false;
  private syncState: SyncState = { kind: 'connecting' };
  private firstDrawn = false;
  /** The last 1,000 overlay draw times in ms (a ring; `drawCount` says how far it is filled). */
  readonly drawTimes = new Float64Array(1000);
  drawCount = 0;

  constructor(
    readonly data: WorkspaceData,
    readonly session: SessionInfo,
    /** The server closed the document for an access change: load the workspace again. */
    onRevoked?: () => void,
  ) {
    this.rules = typeRules(data.types);
    this.typesById = new Map(data.types.map((t) => [t.id, t]));
    this.styles = new Map(data.types.map((t) => [t.id, { color: t.color_code, vectorType: t.vector_type }]));
    this.index = new AnnotationIndex(data.image.width, data.image.height);
    this.review = new ReviewState(session.user.id, data.imageSet.required_verifications, this.verdicts);
    this.interaction = new Interaction(this.host());
    this.snapshot = initialSnapshot(data);
    this.proposals = new ProposalReview(session.user.id, this.index, this.verdicts, {
      cast: (ids, verified) => this.castVerdicts(ids, verified),
      changed: () => {
        this.scheduleNotify();
      },
    });
    performance.mark('tessera:workspace-data-loaded');
    const isValid = (a: Annotation) => annotationProblem(a, this.rules) === null;
    const blind = data.imageSet.collaboration_type === 1;
    const regionSize = data.version === undefined ? regionSizeOf(data.image) : null;
    this.live =
      data.version === undefined
        ? new LiveDocument({
            name: workspaceDocumentName(data.image, data.imageSet, session.user.id),
            // For an image with regions, the stored copy is its index document's (S1).
            snapshot: data.snapshot ?? new DocumentSnapshotLoader(data.image.id),
            userId: session.user.id,
            url: collabUrl(),
            isValid,
            onReplaced: () => {
              this.bindDocument();
            },
            onRevoked,
          })
        : new VersionDocument(data.version);
    this.regions =
      regionSize === null
        ? null
        : new RegionDocuments({
            imageId: data.image.id,
            copyOf: blind ? session.user.id : null,
            size: regionSize,
            userId: session.user.id,
            url: collabUrl(),
            isValid,
            index: this.index,
            verdicts: this.verdicts,
            owners: this.owners,
            onChange: () => {
              this.scheduleNotify();
            },
            onRevoked,
            ...(this.live instanceof LiveDocument
              ? { conflicts: this.live.conflicts, userOfClient: this.live.userOfClient.bind(this.live) }
              : {}),
          });
    if (data.version === undefined && !blind) void forgetReaderCopies(data.image.id).catch(() => undefined);
    this.readers =
      data.version === undefined && blind
        ? new ReaderCopies({
            imageId: data.image.id,
            width: data.image.width,
            height: data.image.height,
            userId: session.user.id,
            url: collabUrl(),
            isValid,
            regionSize,
            onChange: () => {
              this.scheduleNotify();
            },
          })
        : null;
    this.editor = new AnnotationEditor(this.live.doc, session.user.id, this.rules);
    this.bindDocument();
    this.update({ readOnly: this.live.readOnly });
    this.live.subscribe(() => {
      this.update({ readOnly: this.live.readOnly });
    });
  }

  getSnapshot = (): WorkspaceSnapshot => this.snapshot;

  /** The sync state the status bar shows: the document's, or all open documents' of an image with regions. */
  subscribeSync = (listener: () => void): (() => void) => {
    const stopMain = this.live.subscribe(listener);
    const stopRegions = this.regions?.subscribe(listener);
    return () => {
      stopMain();
      stopRegions?.();
    };
  };

  getSyncState = (): SyncState => {
    if (this.regions === null) return this.live.getState();
    const next = combineSync(this.live.getState(), this.regions.states());
    // One object per distinct state: React compares snapshots by identity.
    if (JSON.stringify(next) !== JSON.stringify(this.syncState)) this.syncState = next;
    return this.syncState;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Connects the OpenSeadragon viewer in `element`, opening at `initialView` (a view link) if given. */
  attachViewer(element: HTMLElement, initialView: Rect | null = null): void {
    // The regions of a linked view start loading with the index, not after the viewer has opened.
    if (initialView !== null) {
      this.regions?.show(initialView);
      this.readers?.showView(initialView);
    }
    this.viewer = new ViewerBinding(
      element,
      this.data.image.id,
      this.snapshot.frame,
      {
        press: (p, pixel, shift, alt) => this.interaction.press(p, pixel, shift, alt),
        drag: (p) => this.interaction.drag(p),
        release: (p, pixel, moved) => {
          this.interaction.release(p, pixel, moved);
          // Only a ruler measurement (not the selected line's length, which the panel shows).
          const measured = this.interaction.tool === 'ruler' && this.interaction.measuredLine() !== null;
          const ruler = measured
            ? measurement(this.interaction, this.index, this.styles, this.data.image)
            : null;
          if (ruler !== null) this.say(`Measured: ${ruler.text}`);
        },
        hover: (p) => {
          this.interaction.move(p ?? { x: NaN, y: NaN });
          this.publish('cursor', p === null ? null : { x: Math.round(p.x), y: Math.round(p.y) });
          if (this.interaction.drawing || this.interaction.tool === 'brush') this.viewer?.requestDraw();
        },
        doubleClick: () => {
          if (this.interaction.tool !== 'draw') return false;
          this.interaction.finish();
          return true;
        },
        draw: (ctx, view, dpr) => {
          this.draw(ctx, view, dpr);
        },
        viewChanged: (r) => {
          this.regions?.show(r);
          this.readers?.showView(r);
          this.publish('viewport', { x: r.minX, y: r.minY, width: r.maxX - r.minX, height: r.maxY - r.minY });
        },
        userMoved: () => {
          if (this.snapshot.following !== null) this.update({ following: null });
        },
      },
      initialView,
    );
  }

  /** A link that opens this image at the current view (view-link.ts), or null before it opens. */
  viewLink(): string | null {
    const visible = this.viewer?.visible() ?? null;
    return visible === null ? null : viewLink(window.location, visible);
  }

  destroy(): void {
    for (const pending of this.presence.values()) window.clearTimeout(pending.timer);
    this.unbindDoc();
    this.viewer?.destroy();
    this.readers?.destroy();
    this.regions?.destroy();
    this.live.destroy();
    this.listeners.clear();
  }

  /**
   * Picks a tool. Freehand and brush draw polygons: with another geometry active they take the first
   * free-form polygon type (and are refused, with the reason, when the set has none).
   */
  setTool(tool: Tool): void {
    let activeType = this.snapshot.activeType;
    if (POLYGON_TOOLS.includes(tool) && !this.isFree(activeType)) {
      const polygon = this.data.types.find((t) => this.isFree(t.id));
      if (polygon === undefined) {
        this.say('Freehand and brush draw polygons: this image set has no polygon type.');
        return;
      }
      activeType = polygon.id;
    }
    this.interaction.setTool(tool);
    this.update({ tool, activeType });
    this.viewer?.requestDraw();
  }

  /**
   * Chooses the type new shapes get; image-level types toggle their label. The selection stays as it
   * is (relabelling is its own action). Freehand and brush stay on for a polygon type; anything else
   * goes to the draw tool.
   */
  chooseType(typeId: number): void {
    const type = this.typesById.get(typeId);
    if (type === undefined) return;
    if (type.vector_type === VectorType.global) {
      this.toggleImageLabel(typeId);
      return;
    }
    const keep = POLYGON_TOOLS.includes(this.snapshot.tool) && this.isFree(typeId);
    const tool = keep ? this.snapshot.tool : 'draw';
    if (tool !== this.interaction.tool) this.interaction.setTool(tool);
    this.update({ activeType: typeId, tool });
    this.viewer?.requestDraw();
  }

  /** A digit: the n-th shape type becomes the one new shapes get (never a relabel: see relabelTo). */
  digit(n: number): void {
    const type = this.shapeTypes()[n - 1];
    if (type !== undefined) this.chooseType(type.id);
  }

  /** Shift+digit: relabels the selection to the n-th shape type. */
  relabelTo(n: number): void {
    const type = this.shapeTypes()[n - 1];
    if (type === undefined) return;
    if (this.snapshot.selection.size === 0)
      this.say('Select annotations first, then Shift+digit relabels them.');
    else this.relabelSelection(type.id);
  }

  /** The shape types in the picker's order (digits 1-9 are the first nine). */
  shapeTypes(): AnnotationType[] {
    return this.data.types.filter((t) => t.vector_type !== VectorType.global);
  }

  relabelSelection(typeId: number): void {
    if (!this.canEdit()) return;
    const ids = [...this.snapshot.selection];
    const already = ids.filter((id) => this.index.get(id)?.record.type === typeId).length;
    const skipped = ids.length - already - this.editor.relabel(ids, typeId).length;
    this.changed(
      skipped > 0 ? `${skipped} annotation(s) kept their label: another shape than that type's` : null,
    );
  }

  deleteSelection(): void {
    if (!this.canEdit() || this.snapshot.selection.size === 0) return;
    this.editor.remove(this.snapshot.selection);
    this.update({ selection: new Set() });
    this.changed(null);
  }

  setDescription(id: string, description: string): void {
    if (!this.canEdit()) return;
    this.editor.change(new Map([[id, { description }]]));
    this.changed(null);
  }

  undo(): void {
    if (this.canEdit() && this.editor.undo()) this.changed(null);
  }

  redo(): void {
    if (this.canEdit() && this.editor.redo()) this.changed(null);
  }

  select(ids: readonly string[]): void {
    this.update({ selection: new Set(ids) });
    this.viewer?.requestDraw();
  }

  /** Selects an annotation and flies to it (the list's click, E, `?annotation=`). */
  flyTo(id: string): void {
    const item = this.index.get(id);
    if (item === undefined) return;
    if (item.frame !== null && item.frame !== this.snapshot.frame) this.setFrame(item.frame);
    // A hidden proposal cannot be selected (W9): the list or the review queue (E) may still lead to it.
    if (this.proposals.visible(item)) this.select([id]);
    else this.say(HIDDEN_PROPOSAL);
    if (item.points.length > 0) this.viewer?.flyTo(item);
  }

  setFrame(frame: number): void {
    const clamped = Math.max(1, Math.min(this.data.image.frames, frame));
    if (clamped === this.snapshot.frame) return;
    this.viewer?.showFrame(clamped);
    this.publish('frame', clamped);
    this.update({ frame: clamped });
  }

  setFilters(filters: ImageFilters): void {
    this.viewer?.setFilters(filters);
    this.update({ filters });
  }

  /** Follows a collaborator's view until the user pans or zooms by hand (null stops). */
  follow(clientId: number | null): void {
    this.update({ following: clientId });
    this.applyFollow();
  }

  /** Escape: drop the shape being drawn, else the selection. */
  escape(): void {
    if (this.interaction.drawing || this.interaction.measuredLine() !== null) this.interaction.cancel();
    else this.select([]);
    this.viewer?.requestDraw();
  }

  /**
   * Writes this user's verdict (true accepts, false rejects) on the annotations `ids` in one
   * transaction: the one path of F / Shift+F, the proposal panel and its bulk accept. Returns how many
   * were written; none in a version view or for a read-only viewer (told why).
   */
  castVerdicts(ids: readonly string[], verified: boolean): number {
    if (ids.length === 0 || this.data.version !== undefined || !this.canEdit()) return 0;
    // The verdict mirror sees the transaction and redraws (bindDocument).
    return castRoutedVerdicts(this.router, ids, this.session.user.id, verified).length;
  }

  /** Shows a message in the status line (null clears it). */
  say(message: string | null): void {
    this.update({ message });
  }

  private canEdit(): boolean {
    if (!this.snapshot.readOnly) return true;
    this.update({ message: 'You can view this image but not change its annotations.' });
    return false;
  }

  private toggleImageLabel(typeId: number): void {
    if (!this.canEdit()) return;
    const existing = this.index.imageLabels().find((l) => l.record.type === typeId);
    if (existing !== undefined) this.editor.remove([existing.id]);
    else this.report(this.editor.create(typeId, null));
    this.changed(null);
  }

  private report(result: { id: string } | { problem: string }): void {
    if ('problem' in result) this.update({ message: `Not drawn: ${result.problem}` });
    else this.update({ message: null });
  }

  /** Whether a type draws polygons of any number of points (what freehand and brush make). */
  private isFree(typeId: number | null): boolean {
    return isFreePolygon(typeId === null ? undefined : this.typesById.get(typeId));
  }

  /** A new shape is selected (its panel shows it; the draw tools ignore the selection). */
  private createShape(typeId: number, points: Point[]): boolean {
    if (!this.canEdit()) return false;
    const result = this.editor.create(typeId, toVector(points, this.shownFrame()));
    this.report(result);
    if ('id' in result) this.select([result.id]);
    this.changed(this.snapshot.message);
    return 'id' in result;
  }

  /** What the freehand and brush tools write through. */
  private polygonHost(): PolygonToolsHost {
    return {
      strokeTarget: (at) => {
        // The polygon the stroke starts on, else the selected one (a stroke from outside its edge).
        const under = this.host().hitTest(at, 0);
        const id =
          under !== null && this.isFree(this.index.get(under)?.record.type ?? null)
            ? under
            : this.interaction.editingId();
        const item = id === null ? undefined : this.index.get(id);
        if (item === undefined || !this.isFree(item.record.type)) return null;
        return { id: item.id, type: item.record.type, points: item.points };
      },
      create: (typeId, points) => this.createShape(typeId, points),
      reshape: (id, points) => {
        this.host().reshape(id, points);
      },
      remove: (id) => {
        this.editor.remove([id]);
        this.select([]);
        this.changed(null);
      },
      say: (message) => {
        this.say(message);
      },
    };
  }

  private changed(message: string | null): void {
    this.update({ message, canUndo: this.editor.history.canUndo, canRedo: this.editor.history.canRedo });
    this.viewer?.requestDraw();
  }

  private draw(ctx: CanvasRenderingContext2D, view: ViewTransform, dpr: number): void {
    const started = performance.now();
    this.drawScene(ctx, view, dpr);
    for (const layer of this.extraLayers) layer(ctx, view, dpr);
    // Cheap self-measurement read by bench/client: the overlay's cost per frame, and when the image's
    // annotations were first on screen (a performance mark, relative to the navigation start).
    this.drawTimes[this.drawCount++ % this.drawTimes.length] = performance.now() - started;
    if (!this.firstDrawn) {
      // With regions (G4), the regions not open are on screen as the index's density.
      const drawn = this.index.size + (this.regions?.density.total ?? 0);
      if (drawn > 0) {
        this.firstDrawn = true;
        performance.mark('tessera:annotations-drawn', { detail: { annotations: drawn } });
      }
    }
    // The tree waits for a frame to be on screen (annotation-index.ts): built in the task after it,
    // before a pointer or a zoom into detail needs it (either would build it at once anyway).
    if (this.index.treePending) {
      setTimeout(() => {
        this.index.buildTree();
      }, 0);
    }
  }

  /**
   * The annotations drawn one by one in `view` (those the proposal filter shows on the shown frame);
   * none while the view holds too many and shows the density map instead. Plugin overlays read it.
   */
  shapesInView(view: ViewTransform): IndexedAnnotation[] {
    const rect = visibleRect(view);
    const elsewhere = this.regions?.density.estimateIn(rect) ?? 0;
    if (this.index.estimateIn(rect) + elsewhere > DETAIL_LIMIT) return [];
    return this.index.search(rect, this.shownFrame()).filter(this.proposals.visible);
  }

  /** The frame whose annotations show (null for single-frame images: every annotation shows). */
  private shownFrame(): number | null {
    return this.data.image.frames > 1 ? this.snapshot.frame : null;
  }

  private drawScene(ctx: CanvasRenderingContext2D, view: ViewTransform, dpr: number): void {
    const editingId = this.interaction.editingId();
    const editingPoints = this.interaction.editingPoints();
    const editingType = editingId === null ? undefined : this.index.get(editingId)?.record.type;
    const style = editingType === undefined ? undefined : this.styles.get(editingType);
    this.renderer.draw(
      ctx,
      view,
      {
        index: this.index,
        extraDensity: this.regions?.density,
        layers: this.readers?.layers(),
        styles: this.styles,
        frame: this.shownFrame(),
        selected: this.snapshot.selection,
        editing:
          editingPoints !== null && style !== undefined && !this.snapshot.readOnly
            ? { vectorType: style.vectorType, points: editingPoints }
            : null,
        draft: this.interaction.draft(),
        measure: measurement(this.interaction, this.index, this.styles, this.data.image),
        stroke: this.interaction.brushStroke(),
        brush: brushCursor(this.interaction, this.viewer?.pixel),
        selectionRect: this.interaction.selectionRect(),
        collaborators: this.snapshot.collaborators,
        look: this.proposals.look,
        mark: (a) => verdictMark(this.review, a),
      },
      dpr,
    );
  }

  /** Mirrors the document into the index, now and on every change (local or remote). */
  private bindDocument(): void {
    this.unbindDoc();
    const doc = this.live.doc;
    const regions = this.regions;
    const notify = () => {
      this.scheduleNotify();
    };
    this.router =
      regions === null
        ? singleDocument(doc)
        : regionRouter({
            index: () => this.live.doc,
            size: regions.size,
            owners: this.owners,
            region: (key) => regions.docFor(key),
          });
    this.editor = new AnnotationEditor(this.router, this.session.user.id, this.rules);
    // An image with regions shares the index and the verdicts between its documents (G4).
    const stopMirror =
      regions === null
        ? mirrorDocument(doc, this.index, notify)
        : mirrorPart(doc, this.index, this.owners, notify);
    const stopVerdicts =
      regions === null ? this.verdicts.follow(doc, notify) : this.verdicts.followPart(doc, notify);
    const stopRegionIndex = regions === null ? () => undefined : this.followRegionIndex(doc, regions);
    // A version view has no provider: nobody else is on a past state.
    const provider = this.live.provider;
    const awareness = provider?.awareness;
    const onAwareness = () => {
      this.update({ collaborators: collaborators(awareness?.getStates() ?? new Map(), doc.clientID) });
      this.applyFollow();
      this.viewer?.requestDraw();
    };
    awareness?.on('change', onAwareness);
    provider?.setAwarenessField('user', {
      id: this.session.user.id,
      name: this.session.user.username,
      color: colorOf(this.session.user.id),
    });
    provider?.setAwarenessField('frame', this.snapshot.frame);
    this.unbindDoc = () => {
      stopMirror();
      stopVerdicts();
      stopRegionIndex();
      awareness?.off('change', onAwareness);
    };
    this.scheduleNotify();
  }

  /** Hands the index document's region summaries to the region documents, now and on every change. */
  private followRegionIndex(doc: Y.Doc, regions: RegionDocuments): () => void {
    const map = regionIndexOf(doc);
    const changed = () => {
      regions.setIndex(readRegionIndex(doc));
    };
    changed();
    map.observe(changed);
    return () => {
      map.unobserve(changed);
    };
  }

  /** Coalesces document changes into one snapshot and one redraw per animation frame. */
  private scheduleNotify(): void {
    this.viewer?.requestDraw();
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    requestAnimationFrame(() => {
      this.notifyScheduled = false;
      // Hidden proposals (rejected, under the threshold) leave the selection as well.
      const live = new Set(
        [...this.snapshot.selection].filter((id) => {
          const item = this.index.get(id);
          return item !== undefined && this.proposals.visible(item);
        }),
      );
      this.update({ version: this.index.version, verdictVersion: this.verdicts.version, selection: live });
    });
  }

  private applyFollow(): void {
    const target = this.snapshot.collaborators.find((c) => c.clientId === this.snapshot.following);
    if (target?.viewport == null) return;
    if (target.frame !== null && target.frame !== this.snapshot.frame) this.setFrame(target.frame);
    const v = target.viewport;
    const item = this.viewer?.viewer.world.getItemAt(0);
    if (item === undefined) return;
    this.viewer?.viewer.viewport.fitBounds(
      item.imageToViewportRectangle(v.minX, v.minY, v.maxX - v.minX, v.maxY - v.minY),
    );
  }

  /**
   * Publishes a presence field, each field at most every 50 ms; the latest value of a burst is sent
   * when its 50 ms are up, so the last cursor position or view always arrives.
   */
  private publish(field: 'cursor' | 'viewport' | 'frame', value: unknown): void {
    const pending = this.presence.get(field);
    const now = performance.now();
    if (pending?.timer !== undefined) {
      pending.value = value;
      return;
    }
    const wait = 50 - (now - (pending?.sent ?? -Infinity));
    if (wait <= 0) {
      this.live.provider?.setAwarenessField(field, value);
      this.presence.set(field, { sent: now, value, timer: undefined });
      return;
    }
    const entry = { sent: pending?.sent ?? 0, value, timer: undefined as number | undefined };
    entry.timer = window.setTimeout(() => {
      entry.timer = undefined;
      entry.sent = performance.now();
      this.live.provider?.setAwarenessField(field, entry.value);
    }, wait);
    this.presence.set(field, entry);
  }

  private update(changes: Partial<WorkspaceSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }

  /** What the tools see of the workspace. */
  private host() {
    return {
      activeType: (): DrawType | null => {
        const t =
          this.snapshot.activeType === null ? undefined : this.typesById.get(this.snapshot.activeType);
        return t === undefined ? null : drawTypeOf(t);
      },
      hitTest: (p: Point, tolerance: number) =>
        hitTestAt(this.index, this.styles, p, tolerance, this.shownFrame(), this.proposals.visible),
      selection: () => this.snapshot.selection,
      select: (ids: readonly string[]) => {
        this.select(ids);
      },
      shapeOf: (id: string) => {
        const item = this.index.get(id);
        const style = item === undefined ? undefined : this.styles.get(item.record.type);
        return item === undefined || style === undefined
          ? null
          : { vectorType: style.vectorType, points: item.points };
      },
      within: (rect: Rect) =>
        this.index
          .within(rect, this.shownFrame())
          .filter(this.proposals.visible)
          .map((a) => a.id),
      create: (type: DrawType, points: Point[]) => {
        this.createShape(type.id, points);
      },
      trace: (type: DrawType, points: Point[], pixel: number) => {
        if (this.canEdit()) finishTrace(this.polygonHost(), type.id, points, pixel);
      },
      paint: (type: DrawType, path: Point[], radius: number, erase: boolean, pixel: number) => {
        if (this.canEdit()) finishStroke(this.polygonHost(), type.id, path, { radius, erase, pixel });
      },
      reshape: (id: string, points: Point[]) => {
        if (!this.canEdit()) return;
        const frame = this.index.get(id)?.frame ?? null;
        this.editor.change(new Map([[id, { vector: toVector(points, frame) }]]));
        this.changed(null);
      },
      readOnly: () => this.snapshot.readOnly,
    };
  }
}
