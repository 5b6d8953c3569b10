import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { UsersRepo } from '../resources/users/users.repo.js';
import { UsersService } from '../resources/users/users.service.js';
import { AppError } from '../errors/app-error.js';

export interface BootstrapResult {
  /** Set when this start created the first superuser. */
  readonly created?: {
    readonly id: number;
    readonly username: string;
    readonly password: string;
    readonly generated: boolean;
  };
}

/** Creates the first superuser once, when no user exists: from the environment, or with a random password. */
export async function ensureFirstAdmin(
  db: Database,
  config: Pick<Config, 'admin'>,
): Promise<BootstrapResult> {
  if ((await new UsersRepo(db).count()) > 0) return {};
  const username = config.admin.username ?? 'admin';
  const generated = config.admin.password === undefined;
  const password = config.admin.password ?? randomBytes(12).toString('base64url');
  let id: number;
  try {
    id = await new UsersService(db).create('system', {
      username,
      password,
      email: null,
      is_superuser: true,
      is_staff: true,
      is_active: true,
    });
  } catch (error) {
    // Several servers starting at once on an empty database: one of them wins, the others go on.
    if (error instanceof AppError && error.fieldErrors?.username) return {};
    throw error;
  }
  return { created: { id, username, password, generated } };
}
