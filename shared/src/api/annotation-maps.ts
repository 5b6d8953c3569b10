import { z } from 'zod';
import { id, text, timestamp } from './common.js';
import { drfInteger, drfNumber } from './drf-fields.js';
import { screeningPlanFields, screeningStateFields } from './image-activity.js';

/** How a map places its crops: in image and annotation order, or look-alikes together. */
export const annotationMapKinds = ['grid', 'cluster'] as const;
export type AnnotationMapKind = (typeof annotationMapKinds)[number];

/** The most annotations one map shows (its mosaic is one image of cells). */
export const MAX_MAP_ANNOTATIONS = 4096;

/** An annotation map: every annotation of one type of an image (or of a whole set) as a crop on a grid. */
export const annotationMap = z
  .object({
    id,
    name: z.string(),
    image_set: id,
    image: id.nullable(),
    annotation_type: id,
    kind: z.enum(annotationMapKinds),
    cell_size: z.number().int(),
    context: z.number(),
    seed: z.number().int(),
    state: z.enum(['processing', 'ready', 'failed']),
    failure_reason: z.string().nullable(),
    generation: z.number().int(),
    columns: z.number().int(),
    rows: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    annotation_count: z.number().int(),
    stale: z
      .boolean()
      .describe(
        'An annotation of the type is missing from the map, or one on it moved: regenerate to see it. ' +
          'Relabelled and deleted annotations are shown as they are now without regenerating.',
      ),
    creator: id.nullable(),
    created_at: timestamp,
    generated_at: timestamp.nullable(),
  })
  .meta({ id: 'AnnotationMap' });
export type AnnotationMap = z.infer<typeof annotationMap>;

const featureVector = z.array(z.number()).min(1).max(1024);

/** What a client sends to make a map. */
export const annotationMapCreate = z.object({
  name: text().min(1).max(200).optional(),
  image_set: id.optional().describe('The set whose annotations the map shows (or give `image`).'),
  image: id.optional().describe('Only this image’s annotations.'),
  annotation_type: id,
  kind: z.enum(annotationMapKinds).default('grid'),
  cell_size: drfInteger({ min: 32, max: 512 }).default(128),
  context: drfNumber({ min: 0, max: 4 })
    .default(0.5)
    .describe('Context around each box, per side, as a fraction of its longer side.'),
  seed: drfInteger({ min: 0, max: 2_147_483_647 }).default(1),
  features: z
    .record(z.uuid(), featureVector)
    .optional()
    .describe(
      'Cluster maps: a feature vector per annotation uuid, used instead of the crops’ colour and texture.',
    ),
});
export type AnnotationMapCreate = z.infer<typeof annotationMapCreate>;

/** One cell of a map with its annotation as it is now (type and deletion come from the live annotation). */
export const annotationMapCell = z
  .object({
    cell: z.number().int(),
    col: z.number().int(),
    row: z.number().int(),
    annotation: id,
    unique_identifier: z.uuid(),
    image: id,
    annotation_type: id,
    deleted: z.boolean(),
    moved: z.boolean().describe('The annotation’s box changed since the crop was taken.'),
    box_in_cell: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  })
  .meta({ id: 'AnnotationMapCell' });
export type AnnotationMapCell = z.infer<typeof annotationMapCell>;

/** One user's screening of a map (EXACT's ScreeningMode, kept per user and map). */
export const annotationMapScreening = z
  .object({ annotation_map: id, user: id, ...screeningStateFields })
  .meta({ id: 'AnnotationMapScreening' });
export type AnnotationMapScreening = z.infer<typeof annotationMapScreening>;

/** The caller's plan and position on a map, replacing any earlier one. */
export const annotationMapScreeningWrite = z.object(screeningPlanFields);
export type AnnotationMapScreeningWrite = z.infer<typeof annotationMapScreeningWrite>;
