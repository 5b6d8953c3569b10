import { z } from 'zod';
import { id, text, timestamp } from './common.js';
import { drfInteger, drfNumber } from './drf-fields.js';

export const imageState = z.enum(['processing', 'ready', 'failed']);

export const image = z
  .object({
    id,
    name: z.string().describe('Pseudonymised public name: yyyymmdd-hhmm-XXXX.ext'),
    filename: z.string(),
    time: timestamp,
    height: z.number().int(),
    width: z.number().int(),
    depth: z.number().int(),
    frames: z.number().int(),
    channels: z.number().int(),
    mpp: z.number(),
    objectivePower: z.number(),
    image_type: z.number().int(),
    image_set: id,
    FrameDescriptions: z.array(id).describe('EXACT: the frame descriptions of a multi-frame image'),
    defaultFrame: z.number().int().min(1),
    state: imageState,
    failure_reason: z.string().nullable(),
    vendor: z.string().nullable(),
    size_bytes: z.number().int().nullable(),
    annotation_region_size: z
      .number()
      .int()
      .nullable()
      .describe(
        'Tessera: the side (level-0 pixels) of the regions whose live documents hold the annotations; ' +
          'null when one document holds them all',
      ),
    original_filename: z.string().nullable().optional().describe('Team admins only.'),
    vendor_properties: z.record(z.string(), z.string()).nullable().optional().describe('Team admins only.'),
    associated_images: z.array(z.string()).optional().describe('Label and macro images; team admins only.'),
  })
  .meta({ id: 'Image' });
export type Image = z.infer<typeof image>;

/** What team admins change on an image (EXACT-Sync's `partial_update_image`); other keys are ignored. */
export const imageChange = z.object({
  name: text().trim().min(1).max(255),
  mpp: drfNumber({ min: 0, max: 1_000_000 }),
  objectivePower: drfNumber({ min: 0, max: 10_000 }),
  image_set: id.describe('Moves the image (with its annotations) to another set of the same team.'),
});
export type ImageChange = z.infer<typeof imageChange>;
/** PUT names the image and its set, as DRF's serializer requires; PATCH any subset. */
export const imageUpdate = {
  put: imageChange.partial({ mpp: true, objectivePower: true }),
  patch: imageChange.partial(),
};

export const frameDescription = z
  .object({ id, frame_id: z.number().int().min(1), description: z.string(), image: id })
  .meta({ id: 'FrameDescription' });
export type FrameDescription = z.infer<typeof frameDescription>;

export const uploadFields = z.object({
  image_set: id,
  image_type: drfInteger({ min: 0, max: 100 }).default(0),
});

export const slideInformation = z
  .object({
    level_dimensions: z.array(z.tuple([z.number(), z.number()])),
    level_downsamples: z.array(z.number()),
    level_tiles: z.array(z.tuple([z.number(), z.number()])),
    levels: z.number().int(),
  })
  .catchall(z.unknown())
  .meta({ id: 'SlideInformation' });
