import { z } from 'zod';
import { storedId, isStorableText, text, UNSTORABLE_TEXT_MESSAGE } from '../api/common.js';
import { anyVector, vectorSchema, type Vector } from './vector.js';

/** Limits on an annotation's free-form parts. */
export const MAX_DESCRIPTION_LENGTH = 10_000;
export const MAX_META_BYTES = 16_384;
export const MAX_META_DEPTH = 8;

/** An annotation's key in its document: a UUID the client makes (so offline clients can create). */
export const annotationId = z.uuid({ error: 'annotation ids are UUIDs' });
/** A user id, as everywhere in the API. */
export const userId = storedId;
/**
 * A point in time in the document: milliseconds since the Unix epoch (UTC), whole or with microseconds
 * as the fraction (EXACT's clients send microseconds, and get them back unchanged).
 */
export const epochMs = z
  .number()
  .min(0)
  .max(8_640_000_000_000_000)
  .refine(isWholeMicroseconds, 'times are milliseconds with at most microseconds');

/** Whether `ms` is a whole number of microseconds (the double nearest one). */
function isWholeMicroseconds(ms: number): boolean {
  return Math.round(ms * 1000) / 1000 === ms;
}
/** A score from an algorithm, or null for annotations made by people. */
export const score = z.number().min(-1e9).max(1e9).nullable();

/**
 * Why `value` is not plain, bounded JSON, or null when it is. Plain means null, booleans, finite
 * numbers, strings, arrays and objects with the ordinary prototype: Yjs decodes `undefined`, bigints
 * and byte arrays too, and an object carrying a `__proto__` key arrives with a foreign prototype.
 * Strings and keys must be text PostgreSQL can store (isStorableText): the projection's jsonb holds them.
 */
export function plainJsonProblem(value: unknown, maxBytes: number, maxDepth: number): string | null {
  let bytes = 0;
  const visit = (v: unknown, depth: number): string | null => {
    if (depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    if (v === null || typeof v === 'boolean') bytes += 5;
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'numbers must be finite';
      bytes += 8;
    } else if (typeof v === 'string') {
      if (!isStorableText(v)) return UNSTORABLE_TEXT_MESSAGE;
      bytes += v.length + 2;
    } else if (Array.isArray(v)) {
      bytes += 2;
      for (const item of v as unknown[]) {
        const problem = visit(item, depth + 1);
        if (problem !== null) return problem;
      }
    } else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      bytes += 2;
      for (const [key, item] of Object.entries(v)) {
        if (!isStorableText(key)) return UNSTORABLE_TEXT_MESSAGE;
        bytes += key.length + 3;
        const problem = visit(item, depth + 1);
        if (problem !== null) return problem;
      }
    } else return `${typeof v} is not JSON`;
    return bytes > maxBytes ? `larger than ${maxBytes} bytes` : null;
  };
  return visit(value, 0);
}

/** EXACT's meta_data: any JSON value, bounded in size and depth. */
export const metaData = z.unknown().superRefine((value, ctx) => {
  const problem = plainJsonProblem(value, MAX_META_BYTES, MAX_META_DEPTH);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: `meta data: ${problem}` });
});

/** Who made an annotation and how; written once, when it is created. */
export const createdStamp = z.strictObject({
  by: userId,
  at: epochMs,
  generated: z.boolean(),
  score,
});
export type CreatedStamp = z.infer<typeof createdStamp>;

/** Who changed an annotation last, and when. */
export const editedStamp = z.strictObject({ by: userId, at: epochMs });
export type EditedStamp = z.infer<typeof editedStamp>;

/**
 * The fields of an annotation as its document stores them, one document key each (see README.md).
 * Each schema checks one value on its own; `annotationProblem` checks them together.
 */
export const annotationFields = {
  type: storedId,
  vector: anyVector,
  deleted: z.boolean(),
  description: text().max(MAX_DESCRIPTION_LENGTH),
  meta: metaData,
  created: createdStamp,
  edited: editedStamp,
} as const;
export type AnnotationField = keyof typeof annotationFields;
export const ANNOTATION_FIELDS = Object.keys(annotationFields) as AnnotationField[];
/** The fields people change after creation; `created` never changes, `edited` follows every change. */
export const EDITABLE_FIELDS = ['type', 'vector', 'deleted', 'description', 'meta'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export const annotationRecord = z.strictObject(annotationFields);
/** An annotation's stored fields, without its id. */
export interface AnnotationRecord {
  type: number;
  vector: Vector | null;
  deleted: boolean;
  description: string;
  meta: unknown;
  created: CreatedStamp;
  edited: EditedStamp;
}
/** An annotation with its id. */
export interface Annotation extends AnnotationRecord {
  id: string;
}

/** A verification by one user of one annotation. */
export const verificationRecord = z.strictObject({ verified: z.boolean(), at: epochMs });
export type VerificationRecord = z.infer<typeof verificationRecord>;
export interface Verification extends VerificationRecord {
  annotation: string;
  user: number;
}

/** What the schema needs to know of an annotation type: its vector type and polygon node count. */
export interface AnnotationTypeRule {
  vectorType: number;
  nodeCount?: number;
}
/** The annotation types an image's annotations may use, by type id. */
export type AnnotationTypes = ReadonlyMap<number, AnnotationTypeRule>;

/** The first issue of a failed zod parse as one line, with its path. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/**
 * Why a whole annotation record is invalid (shape, limits, an unknown type, a vector that does not
 * fit its type), or null when it is valid. With `allowRetiredType`, a type missing from `types` is
 * accepted (its vector then only needs to be well-formed): edits such as the deleted flag stay
 * possible on annotations whose type was withdrawn from the image set later.
 */
export function annotationProblem(
  record: unknown,
  types: AnnotationTypes,
  options: { allowRetiredType?: boolean } = {},
): string | null {
  const parsed = annotationRecord.safeParse(record);
  if (!parsed.success) return firstIssue(parsed.error);
  const rule = types.get(parsed.data.type);
  if (rule === undefined) {
    return options.allowRetiredType === true
      ? null
      : `type: annotation type ${parsed.data.type} is not allowed here`;
  }
  const vector = vectorSchema(rule.vectorType, rule.nodeCount).safeParse(parsed.data.vector);
  if (!vector.success) return `vector: ${firstIssue(vector.error)}`;
  return null;
}
