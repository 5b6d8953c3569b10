// The review of algorithm proposals in the open image: the score threshold, whether rejected ones
// show, how each shape is drawn, and the verdicts the reviewer writes (accept = agree, reject =
// disagree), each in one transaction of the live document.
import type * as Y from 'yjs';
import { setVerification } from '@tessera/shared';
import type { AnnotationIndex, IndexedAnnotation } from './annotation-index';
import { LOCAL_ORIGIN } from './annotation-editor';
import type { Rect } from './geometry';
import type { ShapeLook } from './overlay-renderer';
import {
  acceptableInView,
  lookOf,
  proposalState,
  type ProposalState,
  type ProposalView,
} from './proposal-rules';
import { VerdictIndex } from './verdict-index';

/**
 * The most verdicts one bulk accept writes: one update of this many stays far under the validator's
 * size and work limits (a verdict is about 70 bytes), and more on screen than this are not reviewed.
 */
export const MAX_BULK_ACCEPT = 5000;

/** What the review needs of the workspace. */
export interface ReviewHost {
  /** Whether this user may write (tells them why not, when not). */
  canWrite(): boolean;
  /** Verdicts or the view changed: redraw and refresh. */
  changed(): void;
}

/** What React shows of the review. */
export interface ReviewSnapshot extends ProposalView {
  /** Grows with every verdict written here or elsewhere. */
  readonly verdictVersion: number;
}

/** The proposals of one open image and this user's review of them. */
export class ProposalReview {
  readonly verdicts = new VerdictIndex();
  private doc: Y.Doc | null = null;
  private snapshot: ReviewSnapshot = { threshold: null, showRejected: false, verdictVersion: 0 };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly userId: number,
    private readonly index: AnnotationIndex,
    private readonly host: ReviewHost,
  ) {}

  getSnapshot = (): ReviewSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Follows `doc`'s verdicts (again after the document was replaced); returns the unbinding. */
  bind(doc: Y.Doc): () => void {
    this.doc = doc;
    const stop = this.verdicts.follow(doc, () => {
      this.update({ verdictVersion: this.verdicts.version });
    });
    this.update({ verdictVersion: this.verdicts.version });
    return stop;
  }

  stateOf = (id: string): ProposalState => proposalState(this.verdicts.of(id), this.userId);

  /** How the renderer draws a shape. */
  look = (shape: IndexedAnnotation): ShapeLook =>
    shape.record.created.generated ? lookOf(shape.record, this.stateOf(shape.id), this.snapshot) : 'solid';

  /** Whether a shape is on screen (hidden proposals cannot be clicked or selected either). */
  visible = (shape: IndexedAnnotation): boolean => this.look(shape) !== 'hidden';

  setThreshold(threshold: number | null): void {
    this.update({ threshold });
  }

  setShowRejected(showRejected: boolean): void {
    this.update({ showRejected });
  }

  /** Accepts (agree) or rejects (disagree) the proposals among `ids`; returns how many were decided. */
  decide(ids: Iterable<string>, accept: boolean): number {
    const proposals = [...ids].filter((id) => this.index.get(id)?.record.created.generated === true);
    const doc = this.doc;
    if (proposals.length === 0 || doc === null || !this.host.canWrite()) return 0;
    doc.transact(() => {
      for (const id of proposals) setVerification(doc, id, accept, { userId: this.userId }, LOCAL_ORIGIN);
    }, LOCAL_ORIGIN);
    return proposals.length;
  }

  /**
   * The pending proposals in `rect` (on `frame`) at or above the threshold, accepted at once; none
   * when there are more than MAX_BULK_ACCEPT (then `tooMany` says how many).
   */
  acceptInView(rect: Rect, frame: number | null): { accepted: number } | { tooMany: number } {
    const ids = this.acceptableIn(rect, frame);
    if (ids.length > MAX_BULK_ACCEPT) return { tooMany: ids.length };
    return { accepted: this.decide(ids, true) };
  }

  /** What `acceptInView` would accept now. */
  acceptableIn(rect: Rect, frame: number | null): string[] {
    return acceptableInView(this.index.search(rect, frame), this.stateOf, this.snapshot.threshold);
  }

  private update(changes: Partial<ReviewSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    this.host.changed();
    for (const listener of this.listeners) listener();
  }
}
