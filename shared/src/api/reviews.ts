import { z } from 'zod';
import { id, timestamp } from './common.js';

/** The review states of `reviewTally` (shared/src/annotations/review.ts). */
export const reviewStatus = z.enum(['open', 'verified', 'rejected', 'disputed']);

/** An annotation of a second-opinion review, where it is and what its verdicts add up to. */
export const reviewItem = z
  .object({
    annotation: id,
    unique_identifier: z.string(),
    image: id,
    annotation_type: id,
    user: id.nullable().describe('The creator; their own verdict does not count.'),
    generated: z.boolean(),
    frame: z.number().int().nullable(),
    x: z.number().nullable().describe('Centre of the bounding box (null for image-level labels).'),
    y: z.number().nullable(),
    accepts: z.number().int().describe('Accepting verdicts by others than the creator.'),
    rejects: z.number().int().describe('Rejecting verdicts by others than the creator.'),
    status: reviewStatus,
  })
  .meta({ id: 'ReviewItem' });
export type ReviewItem = z.infer<typeof reviewItem>;

/** One verdict as a disagreement lists it. */
export const reviewVerdict = z.object({ user: id, verified: z.boolean(), time: timestamp });

/** A disputed annotation with every verdict on it (the creator's included, marked by `user`). */
export const reviewDisagreement = reviewItem
  .extend({ verdicts: z.array(reviewVerdict) })
  .meta({ id: 'ReviewDisagreement' });
export type ReviewDisagreement = z.infer<typeof reviewDisagreement>;

/** How far a set's review is: annotations per state, and how many still need the caller. */
export const reviewSummary = z
  .object({
    required_verifications: z.number().int(),
    open: z.number().int(),
    verified: z.number().int(),
    rejected: z.number().int(),
    disputed: z.number().int(),
    needs_my_opinion: z.number().int(),
  })
  .meta({ id: 'ReviewSummary' });
export type ReviewSummary = z.infer<typeof reviewSummary>;
