import { z } from 'zod';
import { id, timestamp, text } from './common.js';
import { drfInteger, drfNumber } from './drf-fields.js';

/** A dataset version (EXACT's SetVersion plus Tessera's fields): immutable once made. */
export const setVersion = z
  .object({
    id,
    name: z.string(),
    description: z.string(),
    team: id,
    author: id.nullable(),
    automatic: z.boolean().describe('Made by the periodic snapshotter (pruned by the retention rule).'),
    time: timestamp,
    imagesets: z.array(id),
    images: z.array(id).describe('The images of the version, as they were when it was made.'),
  })
  .meta({ id: 'SetVersion' });
export type SetVersion = z.infer<typeof setVersion>;

/** Freezes the current state of image sets (all of one team) as a named version. */
export const setVersionCreate = z.object({
  name: text().trim().min(1).max(200),
  description: text().max(10_000).default(''),
  imagesets: z.array(id).min(1, 'Name at least one image set.').max(1000),
});
export type SetVersionCreate = z.infer<typeof setVersionCreate>;

/** EXACT's AnnotationVersion: an annotation as a version holds it. */
export const annotationVersion = z
  .object({
    id: z.number().int().describe('The frozen content; consecutive versions share it while it is unchanged.'),
    version: id,
    annotation: id.nullable().describe('The live annotation, if the projection still has it.'),
    unique_identifier: z.string(),
    image: id,
    annotation_type: id,
    deleted: z.boolean(),
    vector: z.record(z.string(), z.number()).nullable(),
    has_changes: z.boolean().describe('The live annotation differs from this version.'),
  })
  .meta({ id: 'AnnotationVersion' });
export type AnnotationVersion = z.infer<typeof annotationVersion>;

/** Which fields of an annotation a diff found changed. */
export const changedField = z.enum([
  'geometry',
  'label',
  'deleted',
  'description',
  'meta_data',
  'verification',
]);
export type ChangedField = z.infer<typeof changedField>;

/**
 * How an annotation differs from one side of a diff to the other, counting only what a viewer sees:
 * added (absent or deleted before, and never there), removed (there before, deleted or gone after),
 * restored (deleted before, there again after), changed (there on both sides, some field differs).
 */
export const diffChange = z.enum(['added', 'removed', 'changed', 'restored']);
export type DiffChange = z.infer<typeof diffChange>;

const counts = z.object({
  added: z.number().int(),
  removed: z.number().int(),
  changed: z.number().int(),
  restored: z.number().int(),
});

/** What changed between two versions (or a version and now), per image. */
export const versionDiff = z
  .object({
    from: z.union([id, z.literal('now')]),
    to: z.union([id, z.literal('now')]),
    totals: counts,
    images: z.array(
      counts.extend({
        image: id,
        by_type: z.record(z.string(), counts).describe('Counts per annotation type id.'),
        annotations: z.array(
          z.object({
            unique_identifier: z.string(),
            annotation_type: id,
            change: diffChange,
            fields: z.array(changedField),
          }),
        ),
      }),
    ),
    truncated: z.boolean().describe('The per-annotation lists were cut at the limit; counts are whole.'),
  })
  .meta({ id: 'VersionDiff' });
export type VersionDiff = z.infer<typeof versionDiff>;

/** Restores a version into the live state as new edits: the whole version, or one image of it. */
export const versionRestore = z.object({ image: id.optional() });
export type VersionRestore = z.infer<typeof versionRestore>;

/**
 * Sent to the clients that have an image's live document open when a restore rewrote it (a stateless
 * message of the live document): who restored which version, so collaborators know why their
 * annotations changed.
 */
export const restoreNotice = z.object({
  kind: z.literal('restore'),
  version: z.object({ id, name: z.string() }),
  by: z.object({ id, username: z.string() }),
  at: z.string().describe('ISO 8601'),
});
export type RestoreNotice = z.infer<typeof restoreNotice>;

/** What a restore did. */
export const restoreReport = z.object({
  images: z.number().int(),
  changed: z.number().int(),
  created: z.number().int(),
  deleted: z.number().int(),
  skipped: z.array(z.object({ unique_identifier: z.string(), reason: z.string() })),
});
export type RestoreReport = z.infer<typeof restoreReport>;

const part = z.array(id).max(1_000_000);
const ratios = z
  .object({ train: drfNumber({ min: 0 }), validation: drfNumber({ min: 0 }), test: drfNumber({ min: 0 }) })
  .refine((r) => r.train + r.validation + r.test > 0, 'The ratios must not all be 0.');

/** A train/validation/test split of a version's images: by hand, by ratio, or stratified by labels. */
export const splitCreate = z.discriminatedUnion('method', [
  z.object({
    name: text().trim().min(1).max(200),
    method: z.literal('manual'),
    train: part.default([]),
    validation: part.default([]),
    test: part.default([]),
  }),
  z.object({
    name: text().trim().min(1).max(200),
    method: z.enum(['ratio', 'stratified']),
    ratios,
    seed: drfInteger({ min: 0, max: 2_147_483_647 }).default(0),
  }),
]);
export type SplitCreate = z.infer<typeof splitCreate>;

export const versionSplit = z
  .object({
    id,
    version: id,
    name: z.string(),
    method: z.enum(['manual', 'ratio', 'stratified']),
    seed: z.number().int().nullable(),
    ratios: z.object({ train: z.number(), validation: z.number(), test: z.number() }).nullable(),
    train: z.array(id),
    validation: z.array(id),
    test: z.array(id),
    time: timestamp,
  })
  .meta({ id: 'VersionSplit' });
export type VersionSplit = z.infer<typeof versionSplit>;

/** A file attached to a version (model weights, metrics, a notebook). */
export const versionArtifact = z
  .object({
    id,
    version: id,
    name: z.string(),
    size: z.number().int(),
    sha256: z.string().describe('Hex SHA-256 of the file, computed while it was stored.'),
    uploaded_by: id.nullable(),
    time: timestamp,
  })
  .meta({ id: 'VersionArtifact' });
export type VersionArtifact = z.infer<typeof versionArtifact>;
