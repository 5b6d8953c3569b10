import { z } from 'zod';
import { anyVector } from '../annotations/vector.js';
import { metaData } from '../annotations/schema.js';
import { id, timestamp, text } from './common.js';
import { drfBoolean, drfDateTime, drfNumber } from './drf-fields.js';

/** An annotation as EXACT's REST API shows it (read from the SQL projection). */
export const restAnnotation = z
  .object({
    id,
    unique_identifier: z.string(),
    annotation_type: id,
    image: id,
    vector: z.record(z.string(), z.number()).nullable(),
    deleted: z.boolean(),
    description: z.string(),
    meta_data: z.unknown(),
    user: id.nullable(),
    time: timestamp,
    last_editor: id.nullable(),
    last_edit_time: timestamp,
    generated: z.boolean(),
    score: z.number().nullable(),
  })
  .meta({ id: 'Annotation' });
export type RestAnnotation = z.infer<typeof restAnnotation>;

/** EXACT's datetime in a request: ISO 8601, with or without zone (UTC when without), microseconds kept. */
export const requestTime = drfDateTime();

/** What a client sends to create (or, with a known unique_identifier, update) an annotation. */
export const restAnnotationWrite = z.object({
  annotation_type: id,
  image: id,
  vector: anyVector,
  unique_identifier: z.uuid().optional(),
  deleted: drfBoolean().default(false),
  description: text().max(10_000).default(''),
  meta_data: metaData.optional(),
  generated: drfBoolean().default(false),
  score: drfNumber({ min: -1e9, max: 1e9 }).nullable().default(null),
  time: requestTime.optional().describe('Override (offline sync, as SlideRunner sends it).'),
  last_edit_time: requestTime.optional().describe('Override (offline sync).'),
});
export type RestAnnotationWrite = z.infer<typeof restAnnotationWrite>;

/** PATCH and PUT: the editable fields. */
export const restAnnotationChange = z.object({
  annotation_type: id.optional(),
  vector: anyVector.optional(),
  deleted: drfBoolean().optional(),
  description: text().max(10_000).optional(),
  meta_data: metaData.optional(),
  last_edit_time: requestTime.optional(),
});
export type RestAnnotationChange = z.infer<typeof restAnnotationChange>;

/** EXACT's verification: one user's verdict on one annotation. */
export const restVerification = z
  .object({ id, annotation: id, user: id, time: timestamp, verified: z.boolean() })
  .meta({ id: 'Verification' });
export type RestVerification = z.infer<typeof restVerification>;

/** Verifying an annotation: always as the caller; a second verification by the same user replaces it. */
export const restVerificationWrite = z.object({
  annotation: id,
  verified: drfBoolean().default(true),
  user: id.optional().describe('If sent, it must be the caller: one verifies only for oneself.'),
  time: requestTime.optional().describe('Override (offline sync).'),
});
export type RestVerificationWrite = z.infer<typeof restVerificationWrite>;

export const restVerificationChange = z.object({
  verified: drfBoolean().optional(),
  time: requestTime.optional(),
});
export type RestVerificationChange = z.infer<typeof restVerificationChange>;
