// The verdicts of the open document by annotation, the workspace's one mirror of its verifications
// map: loaded whole once, then only the keys each transaction (local or remote) set are re-read (a
// bulk accept of thousands costs thousands of map writes, not a scan per annotation). Proposals
// (proposal-review.ts) and second opinions (review-state.ts) both read it.
import type * as Y from 'yjs';
import {
  parseVerificationKey,
  verificationsOf,
  type Verification,
  type VerificationRecord,
} from '@tessera/shared';

/** The verdicts on one annotation, by user id. */
export type Verdicts = ReadonlyMap<number, VerificationRecord>;

const NONE: readonly Verification[] = [];

/** Every user's verdict on every annotation of one document. */
export class VerdictIndex {
  private readonly byAnnotation = new Map<string, Map<number, VerificationRecord>>();
  /** Grows with every change, so views know when to recount. */
  version = 0;

  /** The verdicts on one annotation (undefined when there are none). */
  of(annotation: string): Verdicts | undefined {
    return this.byAnnotation.get(annotation);
  }

  /** The verdicts on one annotation as a list ordered by user id (empty when there are none). */
  list(annotation: string): readonly Verification[] {
    const verdicts = this.byAnnotation.get(annotation);
    if (verdicts === undefined || verdicts.size === 0) return NONE;
    return [...verdicts]
      .map(([user, v]) => ({ annotation, user, verified: v.verified, at: v.at }))
      .sort((a, b) => a.user - b.user);
  }

  /** `user`'s own verdict on an annotation: true accepted, false rejected, undefined none. */
  verdictOf(annotation: string, user: number): boolean | undefined {
    return this.byAnnotation.get(annotation)?.get(user)?.verified;
  }

  /** Loads `doc`'s verdicts and follows their changes; returns the function that stops following. */
  follow(doc: Y.Doc, onChange: () => void): () => void {
    const map = verificationsOf(doc);
    this.byAnnotation.clear();
    for (const [key, value] of map.entries()) this.put(key, value);
    this.version++;
    const observer = (event: Y.YMapEvent<VerificationRecord>) => {
      for (const key of event.keysChanged as Set<string>) this.put(key, map.get(key));
      this.version++;
      onChange();
    };
    map.observe(observer);
    return () => {
      map.unobserve(observer);
    };
  }

  /**
   * Adds `doc`'s verdicts to those of other documents (an image with regions keeps each annotation's
   * verdicts in its document, G4) and follows them; stopping forgets them.
   */
  followPart(doc: Y.Doc, onChange: () => void): () => void {
    const map = verificationsOf(doc);
    const keys = new Set<string>();
    for (const [key, value] of map.entries()) {
      keys.add(key);
      this.put(key, value);
    }
    this.version++;
    const observer = (event: Y.YMapEvent<VerificationRecord>) => {
      for (const key of event.keysChanged as Set<string>) {
        keys.add(key);
        this.put(key, map.get(key));
      }
      this.version++;
      onChange();
    };
    map.observe(observer);
    return () => {
      map.unobserve(observer);
      for (const key of keys) this.put(key, undefined);
      this.version++;
    };
  }

  private put(key: string, value: VerificationRecord | undefined): void {
    const parsed = parseVerificationKey(key);
    if (parsed === null) return;
    let verdicts = this.byAnnotation.get(parsed.annotation);
    if (value === undefined) {
      verdicts?.delete(parsed.user);
      return;
    }
    if (verdicts === undefined)
      this.byAnnotation.set(parsed.annotation, (verdicts = new Map<number, VerificationRecord>()));
    verdicts.set(parsed.user, value);
  }
}
