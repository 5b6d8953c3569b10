import { z } from 'zod';
import { VectorType } from '../annotations/vector.js';
import { id, timestamp, updateSchemas, text } from './common.js';
import { drfBoolean, drfInteger } from './drf-fields.js';

export const product = z
  .object({
    id,
    name: z.string(),
    description: z.string(),
    team: id,
    creator: id.nullable(),
    time: timestamp,
    imagesets: z.array(id),
    annotationtype_set: z.array(id),
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof product>;

export const productCreate = z.object({
  name: text().trim().min(1).max(200),
  description: text().max(10_000).default(''),
  team: id,
  imagesets: z.array(id).max(1000).default([]),
});
export type ProductCreate = z.infer<typeof productCreate>;

export const vectorType = z.number().int().min(1).max(8);

export const annotationType = z
  .object({
    id,
    name: z.string(),
    vector_type: vectorType,
    node_count: z.number().int().min(0),
    enable_concealed: z.boolean(),
    enable_blurred: z.boolean(),
    color_code: z.string(),
    multi_frame: z.boolean(),
    default_width: z.number().int().positive(),
    default_height: z.number().int().positive(),
    sort_order: z.number().int(),
    closed: z.boolean(),
    area_hit_test: z.boolean(),
    active: z.boolean(),
    product: id,
  })
  .meta({ id: 'AnnotationType' });
export type AnnotationType = z.infer<typeof annotationType>;

export const annotationTypeCreate = z.object({
  name: text().trim().min(1).max(200),
  product: id,
  vector_type: drfInteger({ min: 1, max: 8 }).default(VectorType.box),
  node_count: drfInteger({ min: 0, max: 10_000 }).default(0),
  enable_concealed: drfBoolean().default(true),
  enable_blurred: drfBoolean().default(true),
  /** Left out: the server takes the next colour of TYPE_COLORS (see defaultTypeColor). */
  color_code: z
    .string()
    .regex(/^#[0-9A-Fa-f]{6}$/, 'Enter a colour like #CC4444.')
    .optional(),
  multi_frame: drfBoolean().default(false),
  default_width: drfInteger({ min: 1, max: 100_000 }).default(50),
  default_height: drfInteger({ min: 1, max: 100_000 }).default(50),
  sort_order: drfInteger({ min: -1_000_000, max: 1_000_000 }).default(0),
  closed: drfBoolean().default(false),
  area_hit_test: drfBoolean().default(true),
  active: drfBoolean().default(true),
});
export type AnnotationTypeCreate = z.infer<typeof annotationTypeCreate>;

export const productUpdate = updateSchemas(productCreate);
export const annotationTypeUpdate = updateSchemas(annotationTypeCreate);
