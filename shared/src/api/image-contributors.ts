import { z } from 'zod';
import { id } from './common.js';

/** Who worked on each image of a set: the annotations each person made and last edited (of others'). */
export const imageContributors = z
  .object({
    results: z.array(
      z.object({
        image: id,
        users: z.array(
          z.object({
            id,
            username: z.string(),
            created: z.number().int().describe('Annotations this person made (deleted ones included).'),
            edited: z.number().int().describe("Others' annotations this person edited last."),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'ImageContributors' });
export type ImageContributors = z.infer<typeof imageContributors>;
