import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { insertedId } from '../../db/inserted-id.js';

export const userFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'u.id' },
  username: { type: 'text', lookups: ['exact', 'contains'], column: 'u.username' },
  is_superuser: { type: 'bool', lookups: ['exact'], column: 'u.is_superuser' },
  is_staff: { type: 'bool', lookups: ['exact'], column: 'u.is_staff' },
  is_active: { type: 'bool', lookups: ['exact'], column: 'u.is_active' },
  last_login: { type: 'timestamp', lookups: ['exact', 'lte', 'gte', 'range'], column: 'u.last_login' },
  team: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) => `EXISTS (SELECT 1 FROM team_memberships m WHERE m.user_id = u.id AND ${c('m.team_id')})`,
  },
};

export interface UserRow {
  id: number;
  username: string;
  email: string | null;
  is_superuser: boolean;
  is_staff: boolean;
  is_active: boolean;
  last_login: string | null;
  date_joined: string;
  team_set: number[];
}

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string | null;
  isSuperuser: boolean;
  isStaff: boolean;
  isActive: boolean;
}

export interface UserChanges {
  username?: string;
  email?: string | null;
  passwordHash?: string;
  isSuperuser?: boolean;
  isStaff?: boolean;
  isActive?: boolean;
}

export interface ListViewer {
  readonly id: number;
  readonly isSuperuser: boolean;
}

/** Users and their team lists; a user's teams are shown only where the viewer is a member too. */
export class UsersRepo {
  constructor(private readonly db: Queryable) {}

  async list(
    viewer: ListViewer,
    filters: readonly ParsedFilter[],
    page?: { limit: number; offset: number },
  ): Promise<{ count: number; rows: UserRow[] }> {
    const q = new SqlConditions();
    q.addFilters(userFilters, filters);
    return listPage<UserRow>(this.db, {
      select: (
        p,
      ) => `u.id, u.username, u.email, u.is_superuser, u.is_staff, u.is_active, u.last_login, u.date_joined,
        ARRAY(SELECT m.team_id FROM team_memberships m WHERE m.user_id = u.id AND (${p.param(viewer.id)} = u.id OR ${p.param(viewer.isSuperuser)}
          OR EXISTS (SELECT 1 FROM team_memberships o WHERE o.team_id = m.team_id AND o.user_id = ${p.param(viewer.id)}))
          ORDER BY m.team_id) AS team_set`,
      from: 'users u',
      conditions: q,
      orderBy: 'u.id',
      page,
    });
  }

  async insert(u: NewUser): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO users (username, email, password_hash, is_superuser, is_staff, is_active)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [u.username, u.email, u.passwordHash, u.isSuperuser, u.isStaff, u.isActive],
    );
    return insertedId(rows);
  }

  /** Applies changes; bumps the credentials version when they affect signing in. */
  async update(id: number, c: UserChanges): Promise<void> {
    const sets: string[] = [];
    const params: (string | number | boolean | null)[] = [id];
    const set = (column: string, value: string | boolean | null) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (c.username !== undefined) set('username', c.username);
    if (c.email !== undefined) set('email', c.email);
    if (c.passwordHash !== undefined) set('password_hash', c.passwordHash);
    if (c.isSuperuser !== undefined) set('is_superuser', c.isSuperuser);
    if (c.isStaff !== undefined) set('is_staff', c.isStaff);
    if (c.isActive !== undefined) set('is_active', c.isActive);
    if (sets.length === 0) return;
    if (c.passwordHash !== undefined || c.isActive === false || c.username !== undefined) {
      sets.push('credentials_version = credentials_version + 1');
    }
    await this.db.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** Deactivates, strips personal data and ends memberships; rows the user created keep the id. */
  async anonymise(id: number): Promise<void> {
    await this.db.query(
      `UPDATE users SET username = 'deleted-user-' || id, email = NULL, password_hash = NULL,
         is_active = false, is_superuser = false, is_staff = false, anonymised_at = now(),
         credentials_version = credentials_version + 1
       WHERE id = $1`,
      [id],
    );
    await this.db.query('DELETE FROM team_memberships WHERE user_id = $1', [id]);
  }

  async passwordHash(id: number): Promise<string | null> {
    const rows = await this.db.query<{ password_hash: string | null }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [id],
    );
    return rows[0]?.password_hash ?? null;
  }

  async countActiveSuperusers(): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM users WHERE is_superuser AND is_active',
    );
    return rows[0]?.n ?? 0;
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM users');
    return rows[0]?.n ?? 0;
  }

  async idByUsername(username: string): Promise<number | undefined> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM users WHERE lower(username) = lower($1)',
      [username],
    );
    return rows[0]?.id;
  }
}
