import { z } from 'zod';
import { id, timestamp, text } from './common.js';
import { drfBoolean, drfInteger } from './drf-fields.js';

/** Django's user name rule, kept so EXACT's user names stay valid. */
export const username = z
  .string()
  .min(1)
  .max(150)
  .regex(/^[A-Za-z0-9@.+_-]+$/, 'Letters, digits and @/./+/-/_ only.');

export const password = text().min(8, 'Ensure this field has at least 8 characters.').max(1024);

export const user = z
  .object({
    id,
    username: z.string(),
    email: z.string().nullable().optional().describe('Only shown to the user and to superusers.'),
    is_superuser: z.boolean(),
    is_staff: z.boolean(),
    is_active: z.boolean(),
    last_login: timestamp.nullable(),
    date_joined: timestamp,
    team_set: z.array(id),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof user>;

export const userCreate = z.object({
  username,
  password,
  email: z.email().max(254).nullable().optional(),
  is_superuser: drfBoolean().default(false),
  is_staff: drfBoolean().default(false),
  is_active: drfBoolean().default(true),
});
export type UserCreate = z.infer<typeof userCreate>;

export const userUpdate = z.object({
  username: username.optional(),
  password: password.optional(),
  current_password: text().max(1024).optional().describe('Required when changing your own password.'),
  email: z.email().max(254).nullable().optional(),
  is_superuser: drfBoolean().optional(),
  is_staff: drfBoolean().optional(),
  is_active: drfBoolean().optional(),
});
export type UserUpdate = z.infer<typeof userUpdate>;

export const login = z.object({
  username: text().min(1).max(150),
  password: text().min(1).max(1024),
});

export const sessionInfo = z
  .object({ user, csrf_token: z.string().describe('Send as X-CSRF-Token on unsafe requests.') })
  .meta({ id: 'Session' });
export type SessionInfo = z.infer<typeof sessionInfo>;

export const accessToken = z
  .object({
    id,
    name: z.string(),
    prefix: z.string(),
    created: timestamp,
    expires: timestamp.nullable(),
    last_used: timestamp.nullable(),
    revoked: timestamp.nullable(),
  })
  .meta({ id: 'AccessToken' });
export type AccessToken = z.infer<typeof accessToken>;

export const accessTokenCreate = z.object({
  name: text().min(1).max(200),
  expires_in_days: drfInteger({ min: 1, max: 3650 }).nullable().default(90),
});

export const accessTokenCreated = accessToken
  .extend({ token: z.string().describe('Shown once: pat_<prefix>.<secret>') })
  .meta({ id: 'AccessTokenCreated' });
