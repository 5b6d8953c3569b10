// Which of this user's values a remote update just overwrote without its writer having seen them
// (rule M2 of docs/SPEC-collab.md keeps one of two concurrent values; C1-C3 there say what is shown).
// Read from the Yjs structure, not from clocks: each value of a field is an item of the `edits` map,
// and a writer who had seen our value wrote its item with ours as its left origin. An item of ours
// deleted by a remote transaction, whose replacement does not descend from it, was lost to a
// concurrent write.
import * as Y from 'yjs';
import {
  editsOf,
  mapKeyItem,
  parseEditKey,
  readRecord,
  sameJson,
  storedStructAt,
  type EditableField,
} from '@tessera/shared';

/** One field whose value this user wrote and a concurrent writer's value replaced. */
export interface LostField {
  readonly field: EditableField;
  readonly mine: unknown;
  readonly theirs: unknown;
}

/** One annotation's lost fields in one remote transaction, with who won and when each side wrote. */
export interface LostValues {
  readonly annotation: string;
  readonly fields: readonly LostField[];
  /** The Yjs client id whose item holds the winning value. */
  readonly winnerClient: number;
  /** The winner's edit stamp (`edited`), if it names someone else. */
  readonly theirStamp: { by: number; at: number } | null;
  /** When this user's lost edit was made (its `edited` stamp), if known. */
  readonly mineAt: number | null;
}

/** Walks at most this many origins back from a winning item (a field rewritten offline many times). */
const ORIGIN_WALK_LIMIT = 10_000;

/**
 * The values of this user (items written by one of `isMine`'s client ids) that `transaction`, a
 * remote one, replaced by concurrent values: grouped per annotation. Call from `afterTransaction`
 * (the deleted items' contents are still there until the transaction's clean-up).
 */
export function lostValues(
  doc: Y.Doc,
  transaction: Y.Transaction,
  isMine: (client: number) => boolean,
  userId: number,
): LostValues[] {
  const edits = editsOf(doc);
  const lost = new Map<string, { fields: LostField[]; winnerClient: number; mineAt: number | null }>();
  const myStamps = new Map<string, number>();
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || struct.parent !== edits || struct.parentSub === null) return;
    if (!isMine(struct.id.client)) return;
    // A value that arrived in this very transaction was never the one shown here.
    if (struct.id.clock >= (transaction.beforeState.get(struct.id.client) ?? 0)) return;
    const key = parseEditKey(struct.parentSub);
    const winner = mapKeyItem(edits, struct.parentSub);
    if (key === null || winner === undefined || winner.deleted || isMine(winner.id.client)) return;
    const mine = struct.content.getContent()[0] as unknown;
    if (key.field === 'edited') {
      const at = (mine as { at?: unknown } | null)?.at;
      if (typeof at === 'number') myStamps.set(key.annotation, at);
      return;
    }
    const theirs = winner.content.getContent()[0] as unknown;
    if (sameJson(mine, theirs) || descendsFrom(doc, transaction, winner, struct)) return;
    const entry = lost.get(key.annotation) ?? { fields: [], winnerClient: winner.id.client, mineAt: null };
    entry.fields.push({ field: key.field as EditableField, mine, theirs });
    lost.set(key.annotation, entry);
  });
  return [...lost].map(([annotation, entry]) => {
    const stamp = readRecord(doc, annotation)?.['edited'] as { by?: unknown; at?: unknown } | undefined;
    const stampOk = typeof stamp?.by === 'number' && typeof stamp.at === 'number';
    const theirStamp =
      stampOk && stamp.by !== userId ? { by: stamp.by as number, at: stamp.at as number } : null;
    const ownStampAt = stampOk && stamp.by === userId ? (stamp.at as number) : null;
    return {
      annotation,
      fields: entry.fields,
      winnerClient: entry.winnerClient,
      theirStamp,
      mineAt: myStamps.get(annotation) ?? ownStampAt,
    };
  });
}

/**
 * Whether `winner` was written by someone who had seen `replaced`: its chain of left origins reaches
 * `replaced` before it reaches any item the document held before this transaction.
 */
function descendsFrom(doc: Y.Doc, transaction: Y.Transaction, winner: Y.Item, replaced: Y.Item): boolean {
  let current: Y.Item = winner;
  for (let step = 0; step < ORIGIN_WALK_LIMIT; step++) {
    const origin = current.origin;
    if (origin === null) return false;
    if (
      origin.client === replaced.id.client &&
      origin.clock >= replaced.id.clock &&
      origin.clock < replaced.id.clock + replaced.length
    ) {
      return true;
    }
    // An older item that is not ours: the writer built on what came before our value.
    if (origin.clock < (transaction.beforeState.get(origin.client) ?? 0)) return false;
    const next = storedStructAt(doc, origin.client, origin.clock);
    if (!(next instanceof Y.Item)) return false;
    current = next;
  }
  return false;
}
