import { z } from 'zod';
import { anyVector } from '../annotations/vector.js';
import { metaData } from '../annotations/schema.js';
import { id, timestamp } from './common.js';

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

/** EXACT's datetime in a request: ISO 8601, with or without zone (UTC when without). */
const requestTime = z.iso.datetime({ local: true, offset: true });

/** What a client sends to create (or, with a known unique_identifier, update) an annotation. */
export const restAnnotationWrite = z.object({
  annotation_type: id,
  image: id,
  vector: anyVector,
  unique_identifier: z.uuid().optional(),
  deleted: z.boolean().default(false),
  description: z.string().max(10_000).default(''),
  meta_data: metaData.optional(),
  generated: z.boolean().default(false),
  score: z.number().min(-1e9).max(1e9).nullable().default(null),
  time: requestTime.optional().describe('Override (offline sync, as SlideRunner sends it).'),
  last_edit_time: requestTime.optional().describe('Override (offline sync).'),
});
export type RestAnnotationWrite = z.infer<typeof restAnnotationWrite>;

/** PATCH and PUT: the editable fields. */
export const restAnnotationChange = z.object({
  annotation_type: id.optional(),
  vector: anyVector.optional(),
  deleted: z.boolean().optional(),
  description: z.string().max(10_000).optional(),
  meta_data: metaData.optional(),
  last_edit_time: requestTime.optional(),
});
export type RestAnnotationChange = z.infer<typeof restAnnotationChange>;
