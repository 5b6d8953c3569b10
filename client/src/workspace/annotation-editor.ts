// Every change this browser makes to the image's document(s): checked with shared's schema before it
// is written (so the server's validator refuses only what a concurrent edit made invalid), written
// through shared's helpers in one transaction per action and document, and recorded for undo. Where
// each write goes is the router's (document-router.ts): one document, or an image's regions (G1).
import * as Y from 'yjs';
import {
  annotationProblem,
  annotationsOf,
  createAnnotation,
  readRecord,
  sameJson,
  updateFields,
  vectorSchema,
  type AnnotationRecord,
  type AnnotationTypes,
  type EditableField,
  type FieldChanges,
  type Vector,
} from '@tessera/shared';
import { byDocument, singleDocument, type DocumentRouter } from './document-router';
import { EditHistory, type FieldEdit } from './edit-history';

/** The origin of this browser's own transactions (remote ones carry the provider as origin). */
export const LOCAL_ORIGIN = Symbol('local edit');

/** This browser's writes to one image's document(s), for one user and the set's types. */
export class AnnotationEditor {
  /** One history for all of the image's documents: undo finds each annotation's document again. */
  readonly history = new EditHistory();
  private readonly router: DocumentRouter;

  constructor(
    target: Y.Doc | DocumentRouter,
    private readonly userId: number,
    private readonly types: AnnotationTypes,
  ) {
    this.router = target instanceof Y.Doc ? singleDocument(target) : target;
  }

  /** Why an annotation of `type` with `vector` would be refused, or null if it is fine. */
  problemWith(type: number, vector: Vector | null): string | null {
    const rule = this.types.get(type);
    if (rule === undefined) return `annotation type ${type} is not available here`;
    const parsed = vectorSchema(rule.vectorType, rule.nodeCount).safeParse(vector);
    return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'invalid shape');
  }

  /** Creates an annotation; returns its id, or the problem that kept it from being written. */
  create(type: number, vector: Vector | null): { id: string } | { problem: string } {
    const problem = this.problemWith(type, vector);
    if (problem !== null) return { problem };
    const id = crypto.randomUUID();
    const doc = this.router.docForNew(vector);
    createAnnotation(doc, { id, type, vector }, { userId: this.userId }, LOCAL_ORIGIN);
    this.history.record([{ id, before: { deleted: true }, after: { deleted: false } }]);
    return { id };
  }

  /**
   * Changes fields of several annotations as one action (one transaction, one undo step). Changes
   * that would make an annotation invalid (e.g. a relabel to a type of another geometry) are skipped;
   * returns the ids changed.
   */
  change(changes: ReadonlyMap<string, FieldChanges>): string[] {
    const group: FieldEdit[] = [];
    for (const [doc, ids] of byDocument(this.router, changes.keys())) {
      doc.transact(() => {
        for (const id of ids) {
          const fields = changes.get(id);
          const edit = fields === undefined ? null : this.write(doc, id, fields);
          if (edit !== null) group.push(edit);
        }
      }, LOCAL_ORIGIN);
    }
    this.history.record(group);
    return group.map((e) => e.id);
  }

  /** Soft-deletes annotations as one action. */
  remove(ids: Iterable<string>): string[] {
    return this.change(new Map([...ids].map((id) => [id, { deleted: true }])));
  }

  /**
   * Gives annotations another type of the same geometry (a line never becomes a box, even where its
   * two points would pass as one); returns the ids relabelled.
   */
  relabel(ids: Iterable<string>, type: number): string[] {
    const geometry = this.types.get(type)?.vectorType;
    const fitting = [...ids].filter((id) => {
      const doc = this.router.docOf(id);
      const current = doc === null ? undefined : readRecord(doc, id)?.['type'];
      return typeof current === 'number' && this.types.get(current)?.vectorType === geometry;
    });
    return this.change(new Map(fitting.map((id) => [id, { type }])));
  }

  undo(): boolean {
    return this.history.undo((edits) => {
      this.applyWhereUnchanged(edits);
    });
  }

  redo(): boolean {
    return this.history.redo((edits) => {
      this.applyWhereUnchanged(edits);
    });
  }

  /** Writes back, per document (one transaction each), where the fields still hold `expected`. */
  private applyWhereUnchanged(edits: readonly { id: string; expected: FieldChanges; next: FieldChanges }[]) {
    const byId = new Map(edits.map((e) => [e.id, e]));
    for (const [doc, ids] of byDocument(this.router, byId.keys())) {
      doc.transact(() => {
        for (const id of ids) {
          const edit = byId.get(id);
          const current = readRecord(doc, id);
          if (current === null || edit === undefined) continue;
          const fields: FieldChanges = {};
          for (const field of Object.keys(edit.next) as EditableField[]) {
            if (sameJson(current[field], edit.expected[field]))
              Object.assign(fields, { [field]: edit.next[field] });
          }
          if (this.valid({ ...current, ...fields })) {
            updateFields(doc, id, fields, { userId: this.userId }, LOCAL_ORIGIN);
          }
        }
      }, LOCAL_ORIGIN);
    }
  }

  private write(doc: Y.Doc, id: string, fields: FieldChanges): FieldEdit | null {
    const current = readRecord(doc, id);
    if (current === null || !annotationsOf(doc).has(id)) return null;
    // A type must be one of the set's; only an annotation already carrying a retired type keeps it.
    if (fields.type !== undefined && !this.types.has(fields.type)) return null;
    if (!this.valid({ ...current, ...fields })) return null;
    const before: FieldChanges = {};
    for (const field of Object.keys(fields) as EditableField[]) {
      Object.assign(before, { [field]: current[field] });
    }
    const changed = updateFields(doc, id, fields, { userId: this.userId }, LOCAL_ORIGIN);
    if (changed.length === 0) return null;
    return { id, before, after: fields };
  }

  /** Whether a record as it would be after a change passes the schema (retired types tolerated). */
  private valid(record: Record<string, unknown>): boolean {
    const withStamp = { ...record, edited: { by: this.userId, at: Date.now() } } as AnnotationRecord;
    const rule = this.types.get(withStamp.type);
    if (rule === undefined)
      return annotationProblem(withStamp, this.types, { allowRetiredType: true }) === null;
    return annotationProblem(withStamp, this.types) === null;
  }
}
