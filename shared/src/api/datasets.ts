import { z } from 'zod';
import { id, text } from './common.js';
import { drfInteger } from './drf-fields.js';

/** An annotation type a predefined data set brings. */
export const datasetLabel = z.object({
  name: z.string(),
  vector_type: z.number().int(),
  color_code: z.string(),
});

/** A predefined data set's description page, and whether this server can set it up. */
export const dataset = z
  .object({
    name: z.string().describe('Stable identifier, as `tessera dataset add NAME` takes it.'),
    title: z.string(),
    summary: z.string(),
    description: z.string(),
    source: z.string(),
    licence: z.string(),
    kind: z.enum(['generated', 'bundled']),
    image_count: z.number().int().min(0),
    annotation_count: z.number().int().min(0),
    labels: z.array(datasetLabel),
    available: z.boolean(),
    unavailable_reason: z
      .string()
      .nullable()
      .describe('Why it cannot be set up here (missing files or tools).'),
  })
  .meta({ id: 'Dataset' });
export type Dataset = z.infer<typeof dataset>;

/** Setting a data set up in a team: a new image set with its product, annotation types, images and annotations. */
export const datasetInstantiate = z.object({
  team: id,
  seed: drfInteger({ min: 0, max: 2_147_483_647 })
    .default(1)
    .describe('Generated data sets: the same seed gives the same images and annotations.'),
  name: text().trim().min(1).max(200).optional().describe("The image set's name (default: the title)."),
});
export type DatasetInstantiate = z.infer<typeof datasetInstantiate>;

/** What a setup created; the images are `processing` until the tiler has opened them. */
export const datasetInstance = z
  .object({
    dataset: z.string(),
    seed: z.number().int(),
    image_set: id,
    product: id,
    annotation_types: z.array(id),
    images: z.array(id),
    annotations: z.number().int().min(0),
  })
  .meta({ id: 'DatasetInstance' });
export type DatasetInstance = z.infer<typeof datasetInstance>;

/** The form fields of an archive import (multipart, beside the zip file). */
export const datasetImportFields = z.object({
  team: id,
  name: text().trim().min(1).max(200).optional(),
});

/** What an archive import created, and which label items it skipped and why. */
export const datasetImport = datasetInstance
  .omit({ dataset: true, seed: true })
  .extend({ skipped: z.array(z.object({ item: z.string(), reason: z.string() })) })
  .meta({ id: 'DatasetImport' });
export type DatasetImport = z.infer<typeof datasetImport>;
