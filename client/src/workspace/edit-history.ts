// Undo and redo of this user's own edits. Yjs's UndoManager cannot be used on this document: undoing
// a creation removes the annotation's map and undoing an edit restores the previous `edited` stamp
// (often another user's), and the server's validator refuses both (annotations are only soft-deleted;
// every change carries the sender's own stamp). So the history keeps field values: undo writes the
// old values back as a new edit, and only where the field still holds this user's value, so a later
// edit by someone else is never overwritten.
import type { FieldChanges } from '@tessera/shared';

/** One annotation's fields before and after one of this user's edits. */
export interface FieldEdit {
  readonly id: string;
  readonly before: FieldChanges;
  readonly after: FieldChanges;
}

/** Writes the given fields of annotations (one transaction), where they still hold `expected`. */
export type ApplyEdits = (
  edits: readonly { id: string; expected: FieldChanges; next: FieldChanges }[],
) => void;

/** A bounded stack of this user's edits, each a group made by one action (e.g. relabel many). */
export class EditHistory {
  private readonly undoStack: FieldEdit[][] = [];
  private readonly redoStack: FieldEdit[][] = [];

  constructor(private readonly limit = 200) {}

  /** Records one action; a new action clears what could be redone. */
  record(group: readonly FieldEdit[]): void {
    if (group.length === 0) return;
    this.undoStack.push([...group]);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Reverts the last action; false if there was none. */
  undo(apply: ApplyEdits): boolean {
    const group = this.undoStack.pop();
    if (group === undefined) return false;
    apply(group.map((e) => ({ id: e.id, expected: e.after, next: e.before })));
    this.redoStack.push(group);
    return true;
  }

  /** Makes the last undone action again; false if there was none. */
  redo(apply: ApplyEdits): boolean {
    const group = this.redoStack.pop();
    if (group === undefined) return false;
    apply(group.map((e) => ({ id: e.id, expected: e.before, next: e.after })));
    this.undoStack.push(group);
    return true;
  }

  clear(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
  }
}
