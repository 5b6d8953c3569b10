// The review of algorithm proposals in the open image: the score threshold, whether rejected ones
// show, how each shape is drawn, and the bulk accept (accept = agree, reject = disagree). Verdicts are
// read from the workspace's one mirror (verdict-index.ts) and written through its one verdict path
// (the host's `cast`, verdicts.ts), as F / Shift+F write them for any annotation.
import type { AnnotationIndex, IndexedAnnotation } from './annotation-index';
import type { Rect } from './geometry';
import type { ShapeLook } from './overlay-renderer';
import {
  acceptableInView,
  isProposal,
  lookOf,
  proposalState,
  type ProposalState,
  type ProposalView,
} from './proposal-rules';
import type { VerdictIndex } from './verdict-index';

/**
 * The most verdicts one bulk accept writes: one update of this many stays far under the validator's
 * size and work limits (a verdict is about 70 bytes), and more on screen than this are not reviewed.
 */
export const MAX_BULK_ACCEPT = 5000;

/** What the review needs of the workspace. */
export interface ReviewHost {
  /**
   * Writes this user's verdict on `ids` in one transaction (the workspace's one verdict path); the
   * number written, 0 when this user may not write (it tells them why).
   */
  cast(ids: readonly string[], verified: boolean): number;
  /** The view changed: redraw and refresh. */
  changed(): void;
}

/** The proposals of one open image and this user's review of them. */
export class ProposalReview {
  private snapshot: ProposalView = { threshold: null, showRejected: false };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly userId: number,
    private readonly index: AnnotationIndex,
    private readonly verdicts: VerdictIndex,
    private readonly host: ReviewHost,
  ) {}

  getSnapshot = (): ProposalView => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  stateOf = (id: string): ProposalState => proposalState(this.verdicts.of(id), this.userId);

  /** How the renderer draws a shape. */
  look = (shape: IndexedAnnotation): ShapeLook =>
    isProposal(shape.record) ? lookOf(shape.record, this.stateOf(shape.id), this.snapshot) : 'solid';

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
    const proposals = [...ids].filter((id) => {
      const item = this.index.get(id);
      return item !== undefined && isProposal(item.record);
    });
    return proposals.length === 0 ? 0 : this.host.cast(proposals, accept);
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

  private update(changes: Partial<ProposalView>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    this.host.changed();
    for (const listener of this.listeners) listener();
  }
}
