import type { User, UserCreate, UserUpdate } from '@tessera/shared';
import { AuthRepo } from '../../auth/auth.repo.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { isPgError, SqlState } from '../../db/sqlstate.js';
import { formatTimestamp } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { UsersRepo, userFilters, type UserRow } from './users.repo.js';

/** Accounts: every signed-in user may read the directory; superusers manage it; users edit themselves. */
export class UsersService extends ResourceService<User> {
  readonly name = 'users';
  readonly filters = userFilters;
  readonly relations = { team_set: 'teams' };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new UsersRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map((r) => presentUser(viewer, r)) };
  }

  /** The user as presented to the viewer (throws 404 if missing). */
  async present(viewer: Viewer, id: number): Promise<User> {
    const user = await this.find(viewer, id);
    if (!user) throw AppError.notFound();
    return user;
  }

  async create(viewer: Viewer | 'system', input: UserCreate): Promise<number> {
    if (viewer !== 'system' && !viewer.isSuperuser) throw AppError.forbidden('Only superusers create users.');
    try {
      return await new UsersRepo(this.db).insert({
        username: input.username,
        email: input.email ?? null,
        passwordHash: await hashPassword(input.password),
        isSuperuser: input.is_superuser,
        isStaff: input.is_staff,
        isActive: input.is_active,
      });
    } catch (error) {
      if (isPgError(error, SqlState.uniqueViolation)) {
        throw AppError.invalidField('username', 'A user with that username already exists.');
      }
      throw error;
    }
  }

  async update(viewer: Viewer, id: number, input: UserUpdate): Promise<void> {
    const self = viewer.id === id;
    if (!viewer.isSuperuser) {
      if (!self) throw AppError.forbidden();
      const privileged = (['is_superuser', 'is_staff', 'is_active', 'username'] as const).filter(
        (k) => input[k] !== undefined,
      );
      if (privileged.length > 0) throw AppError.forbidden(`Only superusers change ${privileged.join(', ')}.`);
    }
    await this.db.transaction(async (tx) => {
      const repo = new UsersRepo(tx);
      const { rows } = await repo.list(viewer, [{ name: 'id', lookup: 'exact', value: id }]);
      const target = rows[0];
      if (!target) throw AppError.notFound();
      if (input.password !== undefined && self) {
        const current = input.current_password ?? '';
        if (!(await verifyPassword(await repo.passwordHash(id), current))) {
          throw AppError.invalidField(
            'current_password',
            'Your current password is required and was not correct.',
          );
        }
      }
      const demotes = input.is_superuser === false || input.is_active === false;
      if (target.is_superuser && target.is_active && demotes && (await repo.countActiveSuperusers()) <= 1) {
        throw AppError.conflict('This is the last active superuser; make another one first.');
      }
      try {
        await repo.update(id, {
          username: input.username,
          email: input.email,
          passwordHash: input.password === undefined ? undefined : await hashPassword(input.password),
          isSuperuser: input.is_superuser,
          isStaff: input.is_staff,
          isActive: input.is_active,
        });
      } catch (error) {
        if (isPgError(error, SqlState.uniqueViolation)) {
          throw AppError.invalidField('username', 'A user with that username already exists.');
        }
        throw error;
      }
      const auth = new AuthRepo(tx);
      // A new password shuts out whoever knew the old one: every token and every other session
      // ends; the user's own session making the change stays signed in. Deactivation ends them all.
      if (input.password !== undefined) await auth.revokeAllTokens(id);
      if (input.password !== undefined || input.is_active === false) {
        const keep = input.is_active !== false && self ? ownSession(viewer) : undefined;
        await auth.deleteSessionsOfUser(id, keep);
      }
    });
  }

  /** "Deleting" a user deactivates and anonymises them; what they created stays. */
  async remove(viewer: Viewer, id: number): Promise<void> {
    if (!viewer.isSuperuser) throw AppError.forbidden('Only superusers delete users.');
    if (viewer.id === id) throw AppError.conflict('You cannot delete your own account.');
    await this.db.transaction(async (tx) => {
      const repo = new UsersRepo(tx);
      const { rows } = await repo.list(viewer, [{ name: 'id', lookup: 'exact', value: id }]);
      if (!rows[0]) throw AppError.notFound();
      await repo.anonymise(id);
      const auth = new AuthRepo(tx);
      await auth.deleteSessionsOfUser(id);
      await auth.revokeAllTokens(id);
    });
  }
}

/** The session a request came with, if it came with one. */
function ownSession(viewer: Viewer): Buffer | undefined {
  return viewer.credential?.kind === 'session' ? viewer.credential.sessionId : undefined;
}

function presentUser(viewer: Viewer, row: UserRow): User {
  const user: User = {
    id: row.id,
    username: row.username,
    is_superuser: row.is_superuser,
    is_staff: row.is_staff,
    is_active: row.is_active,
    last_login: formatTimestamp(row.last_login),
    date_joined: formatTimestamp(row.date_joined) ?? '',
    team_set: row.team_set,
  };
  // E-mail addresses are personal: only their owner and superusers see them.
  if (viewer.isSuperuser || viewer.id === row.id) user.email = row.email;
  return user;
}
