import * as Y from 'yjs';
import {
  ANNOTATION_FIELDS,
  annotationProblem,
  verificationRecord,
  type Annotation,
  type AnnotationRecord,
  type AnnotationTypes,
  type EditableField,
  type Verification,
  type VerificationRecord,
} from './schema.js';
import type { Vector } from './vector.js';

/*
 * The layout of an image's annotation document (the choice and its figures are in README.md):
 *   annotations:   Y.Map  uuid -> Y.Map  field -> JSON   (fields: see schema.ts annotationFields)
 *   verifications: Y.Map  "<uuid>:<userId>" -> {verified, at}
 * Nothing else lives at the top level.
 */
export const ANNOTATIONS = 'annotations';
export const VERIFICATIONS = 'verifications';
export const ROOT_NAMES: readonly string[] = [ANNOTATIONS, VERIFICATIONS];

export type AnnotationMap = Y.Map<unknown>;

/** Who makes a change and when (milliseconds since the epoch; defaults to now). */
export interface Actor {
  userId: number;
  now?: number;
}

/** The map of all annotations, by id. */
export function annotationsOf(doc: Y.Doc): Y.Map<AnnotationMap> {
  return doc.getMap<AnnotationMap>(ANNOTATIONS);
}

/** The map of all verifications, by `verificationKey`. */
export function verificationsOf(doc: Y.Doc): Y.Map<VerificationRecord> {
  return doc.getMap<VerificationRecord>(VERIFICATIONS);
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
    edited: { by: actor.userId, at },
  };
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    annotationsOf(doc).set(id, map);
    for (const field of ANNOTATION_FIELDS) map.set(field, record[field]);
  }, origin);
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
  const map = annotationsOf(doc).get(id);
  if (map === undefined) throw new Error(`annotation ${id} does not exist`);
  const changed = (Object.keys(changes) as EditableField[]).filter(
    (field) => changes[field] !== undefined && !sameJson(map.get(field), changes[field]),
  );
  if (changed.length === 0) return changed;
  doc.transact(() => {
    for (const field of changed) map.set(field, changes[field]);
    map.set('edited', { by: actor.userId, at: actor.now ?? Date.now() });
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

/** The raw stored fields of an annotation (unchecked), or null if there is no such annotation. */
export function readRecord(doc: Y.Doc, id: string): Record<string, unknown> | null {
  const map = annotationsOf(doc).get(id);
  if (!(map instanceof Y.Map)) return null;
  const record: Record<string, unknown> = {};
  for (const [key, value] of map.entries()) record[key] = value;
  return record;
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
 * annotations, invalid verifications or ones of missing annotations. Empty means valid. Used by
 * tests and by maintenance jobs; the live path checks updates instead (validate-update.ts).
 */
export function documentProblems(doc: Y.Doc, types: AnnotationTypes): string[] {
  const problems: string[] = [];
  for (const name of doc.share.keys()) {
    if (!ROOT_NAMES.includes(name)) problems.push(`${name}: unknown top-level entry`);
  }
  const annotations = annotationsOf(doc);
  for (const [id, map] of annotations.entries()) {
    if (!(map instanceof Y.Map)) problems.push(`${id}: not a map`);
    else {
      const problem = annotationProblem(readRecord(doc, id), types);
      if (problem !== null) problems.push(`${id}: ${problem}`);
      for (const value of map.values()) {
        if (value instanceof Y.AbstractType) problems.push(`${id}: holds a shared type instead of JSON`);
      }
    }
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
