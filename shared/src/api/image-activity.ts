import { z } from 'zod';
import { id, timestamp, updateSchemas } from './common.js';
import { drfBoolean, drfInteger, drfIntegerChoice, drfNumber } from './drf-fields.js';
import { requestTime } from './annotations.js';

/** EXACT's LogImageAction.action: 1 an image was opened, 2 it was closed (or left). */
export const ImageAction = { opened: 1, closed: 2 } as const;
const imageAction = z.union([z.literal(1), z.literal(2)]);

export const imageActionLog = z
  .object({ id, image: id, user: id, action: imageAction, time: timestamp, ip: z.string().nullable() })
  .meta({ id: 'LogImageAction' });
export type ImageActionLog = z.infer<typeof imageActionLog>;

/** What a client records: its own opening or closing of an image; the server notes the address. */
export const imageActionLogWrite = z.object({
  image: id,
  action: drfIntegerChoice([1, 2]),
  user: id.optional().describe('Only yourself.'),
  time: requestTime.optional().describe('Override (offline sync); now when absent.'),
});
export type ImageActionLogWrite = z.infer<typeof imageActionLogWrite>;

/** One tile of a screening plan, keyed by its index in `screening_tiles`. */
const screeningTile = z
  .object({
    Screened: drfBoolean(),
    x_min: drfNumber(),
    y_min: drfNumber(),
    x_max: drfNumber(),
    y_max: drfNumber(),
  })
  .describe('Other keys are dropped.');
const count = drfInteger({ min: 0, max: 1_000_000 });

/** A stored screening's plan and position, as answered (EXACT's ScreeningMode without whose and of what). */
export const screeningStateFields = {
  screening_tiles: z.record(z.string(), z.unknown()),
  x_steps: z.number().int(),
  y_steps: z.number().int(),
  x_resolution: z.number().int(),
  y_resolution: z.number().int(),
  current_index: z.number().int(),
};

export const screeningMode = z
  .object({ id, image: id, user: id, ...screeningStateFields })
  .meta({ id: 'ScreeningMode' });
export type ScreeningMode = z.infer<typeof screeningMode>;

/** A user's screening state of an image (EXACT's ScreeningMode); PATCH of current_index marks it screened. */
const screeningTiles = z
  .record(z.string().regex(/^\d{1,7}$/, 'Tile keys are tile indexes.'), screeningTile)
  .refine((tiles) => Object.keys(tiles).length <= 100_000, 'At most 100000 tiles.');

/** A screening's whole plan and position, every field given (EXACT's ScreeningMode without whose and of what). */
export const screeningPlanFields = {
  screening_tiles: screeningTiles,
  x_steps: count,
  y_steps: count,
  x_resolution: count,
  y_resolution: count,
  current_index: count,
};

export const screeningModeWrite = z.object({
  image: id,
  user: id.optional().describe('Only yourself.'),
  screening_tiles: screeningTiles.default({}),
  x_steps: count.default(0),
  y_steps: count.default(0),
  x_resolution: count.default(0),
  y_resolution: count.default(0),
  current_index: count.default(0),
});
export type ScreeningModeWrite = z.infer<typeof screeningModeWrite>;
export const screeningModeUpdate = updateSchemas(screeningModeWrite);
