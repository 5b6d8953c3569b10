import { z } from 'zod';
import { id, timestamp, updateSchemas, text } from './common.js';
import { drfBoolean, drfInteger, drfIntegerChoice } from './drf-fields.js';

/** 0 collaborative, 1 competitive (blind), 2 second opinion. */
export const CollaborationType = { collaborative: 0, competitive: 1, secondOpinion: 2 } as const;

/** The most verdicts a set may require per annotation (the migration's CHECK says the same). */
export const MAX_REQUIRED_VERIFICATIONS = 10;

export const imageSet = z
  .object({
    id,
    name: z.string(),
    path: z.string(),
    location: z.string(),
    description: z.string(),
    images: z.array(id),
    product_set: z.array(id),
    main_annotation_type: id.nullable(),
    set_tags: z.array(id),
    team: id,
    creator: id.nullable(),
    public: z.boolean(),
    collaboration_type: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    priority: z.number().int(),
    required_verifications: z
      .number()
      .int()
      .describe(
        'Agreeing verdicts by people other than its creator that make an annotation verified (or rejected).',
      ),
    show_original_names: z
      .boolean()
      .describe('Members see the names images were uploaded under (team admins always do).'),
    time: timestamp,
  })
  .meta({ id: 'ImageSet' });
export type ImageSet = z.infer<typeof imageSet>;

export const imageSetCreate = z.object({
  name: text().trim().min(1).max(200),
  team: id,
  location: text().max(200).default(''),
  description: text().max(10_000).default(''),
  public: drfBoolean().default(false),
  main_annotation_type: id.nullable().default(null),
  collaboration_type: drfIntegerChoice([0, 1, 2]).default(0),
  priority: drfInteger({ min: -1, max: 1 }).default(0),
  required_verifications: drfInteger({ min: 1, max: MAX_REQUIRED_VERIFICATIONS }).default(1),
  show_original_names: drfBoolean().default(false),
  set_tags: z.array(id).max(1000).default([]),
  product_set: z.array(id).max(1000).default([]),
});
export type ImageSetCreate = z.infer<typeof imageSetCreate>;

export const setTag = z.object({ id, name: z.string(), imagesets: z.array(id) }).meta({ id: 'SetTag' });
export type SetTag = z.infer<typeof setTag>;
export const setTagWrite = z.object({
  name: text().trim().min(1).max(100),
  imagesets: z
    .array(id)
    .max(1000)
    .optional()
    .describe('Links the tag to these sets (ones you administer); on update it replaces those links.'),
});
export type SetTagWrite = z.infer<typeof setTagWrite>;
export const imageSetUpdate = updateSchemas(imageSetCreate);
