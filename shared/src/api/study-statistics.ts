import { z } from 'zod';
import { id } from './common.js';
import { drfNumber } from './drf-fields.js';

/** The query of `images/image_sets/<id>/study_statistics/`: the matching rule and the answer's form. */
export const studyStatisticsQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
  iou_threshold: drfNumber({ min: 0.01, max: 1 })
    .default(0.5)
    .describe('Two shapes with area match when the IoU of their bounding boxes is at least this.'),
  point_distance: drfNumber({ min: 0, max: 100_000 })
    .default(20)
    .describe('Two shapes of which one has no area match when their centres are at most this far (px).'),
});
export type StudyStatisticsQuery = z.infer<typeof studyStatisticsQuery>;

const count = z.number().int().min(0);
const byType = z.array(z.object({ annotation_type: id, count }));

/** One reader's work on one image. */
export const readerImageStatistics = z.object({
  image: id,
  annotations: count,
  by_type: byType,
  seconds: z.number().min(0).describe('Time the image was open, from the image action log.'),
  visits: count.describe('Openings closed again (each counted up to the session cap).'),
  unclosed_visits: count.describe('Openings never closed before the next opening or the end: not counted.'),
});

/** One reader's totals and their images. */
export const readerStatistics = z.object({
  user: id,
  username: z.string(),
  annotations: count,
  by_type: byType,
  images_annotated: count,
  images_opened: count,
  seconds: z.number().min(0),
  visits: count,
  unclosed_visits: count,
  capped_visits: count.describe('Visits longer than the session cap, counted as the cap.'),
  images: z.array(readerImageStatistics),
});

/** Agreement of two readers over the whole set. */
export const pairAgreement = z.object({
  reader_a: id,
  reader_b: id,
  matched: count,
  only_a: count,
  only_b: count,
  f1: z
    .number()
    .nullable()
    .describe('2 matched / (annotations of a + annotations of b); null if neither has any.'),
  kappa: z
    .number()
    .nullable()
    .describe('Cohen’s kappa over all items, an unmatched annotation rated "none" by the other reader.'),
  kappa_matched: z
    .number()
    .nullable()
    .describe('Cohen’s kappa over the matched pairs only (class agreement).'),
});

export const studyStatistics = z
  .object({
    image_set: id,
    blind: z.boolean(),
    rules: z.object({
      iou_threshold: z.number(),
      point_distance: z.number(),
      session_cap_seconds: z.number(),
    }),
    annotation_types: z.array(z.object({ id, name: z.string() })),
    images: z.array(z.object({ id, name: z.string() })),
    readers: z.array(readerStatistics),
    agreement: z
      .object({
        pairs: z.array(pairAgreement),
        fleiss: z
          .object({ readers: count, items: count, kappa: z.number().nullable() })
          .nullable()
          .describe('Fleiss’ kappa of all readers (three or more), clusters rated "none" by absent readers.'),
      })
      .nullable()
      .describe('Blind sets only: in other sets readers see each other’s annotations.'),
  })
  .meta({ id: 'StudyStatistics' });
export type StudyStatistics = z.infer<typeof studyStatistics>;
export type ReaderStatistics = z.infer<typeof readerStatistics>;
export type PairAgreement = z.infer<typeof pairAgreement>;
