import { z } from 'zod';
import { id, text } from './common.js';
import { drfBoolean } from './drf-fields.js';

export const team = z
  .object({
    id,
    name: z.string(),
    members: z.array(id),
    image_sets: z.array(id),
    product_set: z.array(id),
    memberships: z.array(id),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof team>;

export const teamWrite = z.object({ name: text().trim().min(1).max(200) });

export const teamMembership = z
  .object({ id, is_admin: z.boolean(), team: id, user: id })
  .meta({ id: 'TeamMembership' });
export type TeamMembership = z.infer<typeof teamMembership>;

export const teamMembershipCreate = z.object({ team: id, user: id, is_admin: drfBoolean().default(false) });
export const teamMembershipUpdate = z.object({ is_admin: drfBoolean() });
