import * as Y from 'yjs';
import {
  EDITABLE_FIELDS,
  annotationProblem,
  verificationRecord,
  type Annotation,
  type AnnotationField,
  type AnnotationRecord,
  type AnnotationTypes,
  type EditableField,
  type Verification,
  type VerificationRecord,
} from './schema.js';
import type { Vector } from './vector.js';
import { mapKeyCount, nestingOf } from '../yjs-internals/doc-internals.js';

/*
 * The layout of an image's annotation document (the choice and its figures are in README.md):
 *   annotations:   Y.Map  uuid -> record as created, as JSON text (every field; never replaced, never removed)
 *   edits:         Y.Map  "<uuid>/<field>" -> JSON   (a field's value since its first change)
 *   verifications: Y.Map  "<uuid>:<userId>" -> {verified, at}
 * An annotation is its record as created with its edits laid over it. Nothing else lives at the top
 * level. Documents written before this layout hold a Y.Map per annotation (field -> JSON) under
 * `annotations`: they are read the same way, and their later changes go to `edits`. Documents
 * written before session 4 (2026-11-27) hold the record as created as a JSON object rather than
 * its text: read the same way too (a record is never rewritten, so both forms stay valid).
 */
export const ANNOTATIONS = 'annotations';
export const EDITS = 'edits';
export const VERIFICATIONS = 'verifications';
export const ROOT_NAMES: readonly string[] = [ANNOTATIONS, EDITS, VERIFICATIONS];

/** The fields an edit may write: the editable ones and the edit stamp (`created` never changes). */
export const EDITED_FIELDS: readonly AnnotationField[] = [...EDITABLE_FIELDS, 'edited'];

/** Who makes a change and when (milliseconds since the epoch; defaults to now). */
export interface Actor {
  userId: number;
  now?: number;
}

/** The map of all annotations as created, by id. */
export function annotationsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ANNOTATIONS);
}

/** The map of the fields changed since creation, by `editKey`. */
export function editsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(EDITS);
}

/** The map of all verifications, by `verificationKey`. */
export function verificationsOf(doc: Y.Doc): Y.Map<VerificationRecord> {
  return doc.getMap<VerificationRecord>(VERIFICATIONS);
}

/** The key of one field of one annotation in the edits map. */
export function editKey(annotation: string, field: AnnotationField): string {
  return `${annotation}/${field}`;
}

/** The annotation id and field in an edits key, or null if it is not one (unknown fields included). */
export function parseEditKey(key: string): { annotation: string; field: AnnotationField } | null {
  const slash = key.indexOf('/');
  if (slash !== 36) return null;
  const field = key.slice(37) as AnnotationField;
  if (!EDITED_FIELDS.includes(field)) return null;
  return { annotation: key.slice(0, 36), field };
}

/** The key of one user's verification of one annotation. */
export function verificationKey(annotation: string, user: number): string {
  return `${annotation}:${user}`;
}

/** The annotation id and user id in a verification key, or null if it is not one. */
export function parseVerificationKey(key: string): { annotation: string; user: number } | null {
  const match = /^([0-9a-fA-F-]{36}):([1-9][0-9]{0,9})$/.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { annotation: match[1], user: Number(match[2]) };
}

/** What a new annotation needs; the rest (stamps, deleted flag) is filled in. */
export interface NewAnnotation {
  /** A new UUID made by the caller (`crypto.randomUUID()`), so offline clients can create. */
  id: string;
  type: number;
  vector: Vector | null;
  description?: string;
  meta?: unknown;
  generated?: boolean;
  score?: number | null;
  /** When it was last edited, if not at its creation (EXACT's `last_edit_time` on a create). */
  editedAt?: number;
}

/** Creates an annotation in one transaction and returns its id. */
export function createAnnotation(doc: Y.Doc, input: NewAnnotation, actor: Actor, origin?: unknown): string {
  const id = input.id;
  if (annotationsOf(doc).has(id)) throw new Error(`annotation ${id} exists already`);
  const at = actor.now ?? Date.now();
  const record: AnnotationRecord = {
    type: input.type,
    vector: input.vector,
    deleted: false,
    description: input.description ?? '',
    meta: input.meta ?? null,
    created: { by: actor.userId, at, generated: input.generated ?? false, score: input.score ?? null },
    edited: { by: actor.userId, at: input.editedAt ?? at },
  };
  // As text: Yjs decodes a string far faster than the same record as its own binary JSON (three
  // times, measured in README.md), and every load of a large document decodes all of them.
  doc.transact(() => annotationsOf(doc).set(id, JSON.stringify(record)), origin);
  return id;
}

export type FieldChanges = Partial<Pick<AnnotationRecord, EditableField>>;

/**
 * Writes the given fields of an annotation, only those whose value differs, plus the edit stamp
 * if anything changed; returns the changed field names. Throws if the annotation does not exist.
 */
export function updateFields(
  doc: Y.Doc,
  id: string,
  changes: FieldChanges,
  actor: Actor,
  origin?: unknown,
): EditableField[] {
  const current = readRecord(doc, id);
  if (current === null) throw new Error(`annotation ${id} does not exist`);
  const changed = (Object.keys(changes) as EditableField[]).filter(
    (field) => changes[field] !== undefined && !sameJson(current[field], changes[field]),
  );
  if (changed.length === 0) return changed;
  const edits = editsOf(doc);
  doc.transact(() => {
    for (const field of changed) edits.set(editKey(id, field), changes[field]);
    edits.set(editKey(id, 'edited'), { by: actor.userId, at: actor.now ?? Date.now() });
  }, origin);
  return changed;
}

/** Soft-deletes an annotation (annotations are never removed from the document). */
export function markDeleted(doc: Y.Doc, id: string, actor: Actor, origin?: unknown): boolean {
  return updateFields(doc, id, { deleted: true }, actor, origin).length > 0;
}

/** Sets the actor's own verification of an annotation. */
export function setVerification(
  doc: Y.Doc,
  annotation: string,
  verified: boolean,
  actor: Actor,
  origin?: unknown,
): void {
  if (!annotationsOf(doc).has(annotation)) throw new Error(`annotation ${annotation} does not exist`);
  const value: VerificationRecord = { verified, at: actor.now ?? Date.now() };
  doc.transact(() => verificationsOf(doc).set(verificationKey(annotation, actor.userId), value), origin);
}

/**
 * The fields of an annotation as created, as a fresh object the caller may change: its record's
 * text parsed, an earlier document's record object copied, or a pre-`edits` document's map read out.
 */
function createdRecord(value: unknown): Record<string, unknown> | null {
  if (typeof value === 'string') return recordFromText(value);
  if (value instanceof Y.Map) return Object.fromEntries((value as Y.Map<unknown>).entries());
  if (!isPlainRecord(value)) return null;
  return { ...value };
}

/** A record's JSON text parsed, or null if it is not the JSON of an object. */
export function recordFromText(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return isPlainRecord(value) ? value : null;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw stored fields of an annotation (unchecked), or null if there is no such annotation. */
export function readRecord(doc: Y.Doc, id: string): Record<string, unknown> | null {
  const record = createdRecord(annotationsOf(doc).get(id));
  if (record === null) return null;
  const edits = editsOf(doc);
  // A count, unlike Y.Map's `size`, which walks every entry.
  if (mapKeyCount(edits) === 0) return record;
  // Stored values are never undefined (the validator refuses it), so undefined means "not edited".
  for (const field of EDITED_FIELDS) {
    const value = edits.get(editKey(id, field));
    if (value !== undefined) record[field] = value;
  }
  return record;
}

/**
 * The latest edit time (`edited.at`) of all annotations, 0 when there are none. Reads the stamp at
 * the end of each record's text instead of parsing the record, where the text allows (the records
 * `createAnnotation` writes end with it): a third of the time on a 100,000-annotation document.
 */
export function latestEditTime(doc: Y.Doc): number {
  const edits = editsOf(doc);
  const hasEdits = mapKeyCount(edits) > 0;
  let latest = 0;
  for (const [id, created] of annotationsOf(doc).entries()) {
    const stamp = hasEdits ? edits.get(editKey(id, 'edited')) : undefined;
    const at =
      stamp !== undefined
        ? timeOf(stamp)
        : typeof created === 'string'
          ? trailingEditTime(created)
          : timeOf(readRecord(doc, id)?.['edited']);
    if (typeof at === 'number' && at > latest) latest = at;
  }
  return latest;
}

/**
 * The `edited.at` of a record's text: read by a pattern when the text ends the way `createAnnotation`
 * writes it (the stamp as the last top-level key: inside a JSON string every quote is escaped, and a
 * nested `"edited":` leaves more closing braces after it than the pattern takes), else parsed whole.
 */
function trailingEditTime(text: string): unknown {
  const key = text.lastIndexOf('"edited":');
  const stamp = key >= 0 ? WRITTEN_STAMP.exec(text.slice(key + 9)) : null;
  return stamp !== null ? Number(stamp[1]) : timeOf(recordFromText(text)?.['edited']);
}

/** An edit stamp as the record's last key, as `JSON.stringify` writes it, and the record's end. */
const WRITTEN_STAMP = /^\{"by":\d{1,15},"at":(\d{1,16}(?:\.\d{1,6})?)\}\}$/;

/** The `at` of a stamp (`{by, at}`), if it is one. */
function timeOf(stamp: unknown): unknown {
  return typeof stamp === 'object' && stamp !== null ? (stamp as { at?: unknown }).at : undefined;
}

/**
 * An annotation, checked against the schema and the allowed types; null if it does not exist.
 * Throws if it exists but is invalid (the validator keeps that from happening).
 */
export function readAnnotation(doc: Y.Doc, id: string, types: AnnotationTypes): Annotation | null {
  const record = readRecord(doc, id);
  if (record === null) return null;
  const problem = annotationProblem(record, types);
  if (problem !== null) throw new Error(`annotation ${id} is invalid: ${problem}`);
  return { id, ...(record as unknown as AnnotationRecord) };
}

/** All annotations of a document (soft-deleted ones only if asked), unchecked, in key order. */
export function listAnnotations(doc: Y.Doc, options: { includeDeleted?: boolean } = {}): Annotation[] {
  const list: Annotation[] = [];
  for (const id of [...annotationsOf(doc).keys()].sort()) {
    const record = readRecord(doc, id) as AnnotationRecord | null;
    if (record === null || (record.deleted && options.includeDeleted !== true)) continue;
    list.push({ id, ...record });
  }
  return list;
}

/**
 * Makes the three top-level maps exist as maps. A map first met in a remote update is held by Yjs
 * under a placeholder type until someone asks for it by name, and asking replaces the instance: a
 * transaction's `changed` list would then name the placeholder, not the map `changedAnnotations`
 * compares with. Call before following a document's changes.
 */
export function ensureLayout(doc: Y.Doc): void {
  annotationsOf(doc);
  editsOf(doc);
  verificationsOf(doc);
}

/**
 * The ids of the annotations a transaction created or changed (any field, any layout). Verifications
 * are not included (`changedVerifications`).
 */
export function changedAnnotations(doc: Y.Doc, transaction: Y.Transaction): Set<string> {
  // Compared as plain objects: the root maps and the changed types are the same Yjs instances.
  const annotations: object = annotationsOf(doc);
  const edits: object = editsOf(doc);
  const ids = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    if ((type as object) === annotations) {
      for (const key of keys) if (key !== null) ids.add(key);
    } else if ((type as object) === edits) {
      for (const key of keys) {
        const parsed = key === null ? null : parseEditKey(key);
        if (parsed !== null) ids.add(parsed.annotation);
      }
    } else {
      // A pre-`edits` document's per-annotation map.
      const nesting = nestingOf(type);
      if (nesting?.parent === annotations && nesting.key !== null) ids.add(nesting.key);
    }
  }
  return ids;
}

/** The annotations whose verifications a transaction set. */
export function changedVerifications(doc: Y.Doc, transaction: Y.Transaction): Set<string> {
  const root: object = verificationsOf(doc);
  const ids = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    if ((type as object) !== root) continue;
    for (const key of keys) {
      const parsed = key === null ? null : parseVerificationKey(key);
      if (parsed !== null) ids.add(parsed.annotation);
    }
  }
  return ids;
}

/**
 * Calls `listener` after every transaction that created or changed annotations, with their ids;
 * returns the function that stops it.
 */
export function observeAnnotations(
  doc: Y.Doc,
  listener: (ids: Set<string>, transaction: Y.Transaction) => void,
): () => void {
  ensureLayout(doc);
  const handler = (transaction: Y.Transaction) => {
    const ids = changedAnnotations(doc, transaction);
    if (ids.size > 0) listener(ids, transaction);
  };
  doc.on('afterTransaction', handler);
  return () => {
    doc.off('afterTransaction', handler);
  };
}

/** The verifications of one annotation, by user. */
export function readVerifications(doc: Y.Doc, annotation: string): Verification[] {
  const list: Verification[] = [];
  for (const [key, value] of verificationsOf(doc).entries()) {
    const parsed = parseVerificationKey(key);
    if (parsed?.annotation !== annotation) continue;
    list.push({ ...parsed, ...value });
  }
  return list.sort((a, b) => a.user - b.user);
}

/**
 * Every problem in a whole document, each as "<where>: <what>": unknown top-level entries, invalid
 * annotations, edits or verifications of missing annotations. Empty means valid. Used by tests and
 * by maintenance jobs; the live path checks updates instead (validate-update.ts).
 */
export function documentProblems(doc: Y.Doc, types: AnnotationTypes): string[] {
  const problems: string[] = [];
  for (const name of doc.share.keys()) {
    if (!ROOT_NAMES.includes(name)) problems.push(`${name}: unknown top-level entry`);
  }
  const annotations = annotationsOf(doc);
  for (const [id, created] of annotations.entries()) {
    if (createdRecord(created) === null) problems.push(`${id}: not a record`);
    else {
      const problem = annotationProblem(readRecord(doc, id), types);
      if (problem !== null) problems.push(`${id}: ${problem}`);
      const values = created instanceof Y.Map ? [...(created as Y.Map<unknown>).values()] : [];
      if (values.some((value) => value instanceof Y.AbstractType)) {
        problems.push(`${id}: holds a shared type instead of JSON`);
      }
    }
  }
  for (const [key, value] of editsOf(doc).entries()) {
    const parsed = parseEditKey(key);
    if (parsed === null || !annotations.has(parsed.annotation)) problems.push(`${key}: not an edit key`);
    if (value instanceof Y.AbstractType) problems.push(`${key}: holds a shared type instead of JSON`);
  }
  for (const [key, value] of verificationsOf(doc).entries()) {
    const parsed = parseVerificationKey(key);
    if (parsed === null || !annotations.has(parsed.annotation))
      problems.push(`${key}: not a verification key`);
    if (!verificationRecord.safeParse(value).success) problems.push(`${key}: invalid verification`);
  }
  return problems;
}

/** Whether two JSON values are equal (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(recordB, key) && sameJson(recordA[key], recordB[key]));
}
