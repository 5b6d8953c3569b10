// The session's conflicts on one image (rules C1-C3, docs/SPEC-collab.md): every value of this user
// that a concurrent write replaced, who won, and whether this user has applied theirs again. Kept in
// memory for the page's life; the document itself keeps only the winning values.
import type { FieldChanges } from '@tessera/shared';
import type { LostField, LostValues } from './conflicts';

/** One lost conflict as the panel shows it. */
export interface Conflict {
  readonly seq: number;
  readonly annotation: string;
  readonly fields: readonly LostField[];
  /** The user whose value won, when known (presence, else the winning edit stamp). */
  readonly winner: number | null;
  /** When the winning edit was made (its stamp), if known. */
  readonly theirsAt: number | null;
  readonly mineAt: number | null;
  /** The winning edit was made before this user's (an offline edit older than what it replaced). */
  readonly olderThanMine: boolean;
  /** When this browser learned of it. */
  readonly seen: number;
  readonly applied: boolean;
}

/** A subscribable list of conflicts, newest first. */
export class ConflictLog {
  private list: readonly Conflict[] = [];
  private readonly listeners = new Set<() => void>();
  private seq = 0;

  getConflicts = (): readonly Conflict[] => this.list;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Adds what one remote transaction replaced; `userOfClient` names a Yjs client's user if known. */
  add(found: readonly LostValues[], userOfClient: (client: number) => number | null, now = Date.now()): void {
    if (found.length === 0) return;
    const added = found.map((lost): Conflict => {
      const winner = userOfClient(lost.winnerClient) ?? lost.theirStamp?.by ?? null;
      const theirsAt = lost.theirStamp !== null && lost.theirStamp.by === winner ? lost.theirStamp.at : null;
      return {
        seq: ++this.seq,
        annotation: lost.annotation,
        fields: lost.fields,
        winner,
        theirsAt,
        mineAt: lost.mineAt,
        olderThanMine: theirsAt !== null && lost.mineAt !== null && theirsAt < lost.mineAt,
        seen: now,
        applied: false,
      };
    });
    this.list = [...added.reverse(), ...this.list];
    this.emit();
  }

  /** This user's values of a conflict, as the changes that write them again. */
  static mine(conflict: Conflict): FieldChanges {
    const changes: FieldChanges = {};
    for (const f of conflict.fields) Object.assign(changes, { [f.field]: f.mine });
    return changes;
  }

  markApplied(seq: number): void {
    this.list = this.list.map((c) => (c.seq === seq ? { ...c, applied: true } : c));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
