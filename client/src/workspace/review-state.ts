// The verdicts of the open document by annotation, kept as a mirror of its verifications map (loaded
// once, then only what each transaction set), and what they add up to under the set's rule
// (shared's reviewTally: verdicts by others than the creator, `required` of them).
import type * as Y from 'yjs';
import {
  changedVerifications,
  parseVerificationKey,
  readVerifications,
  reviewTally,
  needsOpinionOf,
  verificationsOf,
  type ReviewStatus,
  type ReviewTally,
  type Verification,
} from '@tessera/shared';
import type { IndexedAnnotation } from './annotation-index';

const NONE: readonly Verification[] = [];

/** The verdicts of one document and the review rule of its set, for one reviewer. */
export class ReviewState {
  private readonly byAnnotation = new Map<string, readonly Verification[]>();
  /** Grows with every change of a verdict (views recount when it moves). */
  version = 0;

  constructor(
    readonly userId: number,
    readonly required: number,
  ) {}

  /** Mirrors `doc`'s verdicts, now and after every transaction; returns the function that stops. */
  bind(doc: Y.Doc, onChange: () => void): () => void {
    this.byAnnotation.clear();
    for (const key of verificationsOf(doc).keys()) {
      const parsed = parseVerificationKey(key);
      if (parsed !== null && !this.byAnnotation.has(parsed.annotation))
        this.byAnnotation.set(parsed.annotation, readVerifications(doc, parsed.annotation));
    }
    this.version++;
    const handler = (transaction: Y.Transaction) => {
      const touched = changedVerifications(doc, transaction);
      if (touched.size === 0) return;
      for (const id of touched) this.byAnnotation.set(id, readVerifications(doc, id));
      this.version++;
      onChange();
    };
    doc.on('afterTransaction', handler);
    return () => {
      doc.off('afterTransaction', handler);
    };
  }

  /** Every verdict on an annotation, by user id. */
  verdicts(id: string): readonly Verification[] {
    return this.byAnnotation.get(id) ?? NONE;
  }

  /** This reviewer's own verdict: true accepted, false rejected, undefined none. */
  mine(id: string): boolean | undefined {
    return this.verdicts(id).find((v) => v.user === this.userId)?.verified;
  }

  tally(a: IndexedAnnotation): ReviewTally {
    return reviewTally(a.record.created.by, this.verdicts(a.id), this.required);
  }

  status(a: IndexedAnnotation): ReviewStatus {
    return this.tally(a).status;
  }

  /** Whether the annotation still needs this reviewer (the server's review queue, for this image). */
  needsMe(a: IndexedAnnotation): boolean {
    return needsOpinionOf(this.userId, a.record.created.by, this.verdicts(a.id), this.required);
  }
}
