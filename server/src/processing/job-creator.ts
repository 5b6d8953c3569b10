import type { Viewer } from '../auth/viewer.js';
import type { Queryable } from '../db/database.js';

/**
 * The viewer a job acts as: its creator, with the rights they have now (an account deactivated since
 * the job was made acts as no one). A job's proposals and reads are that person's, so a plugin never
 * reaches what its requester could not.
 */
export async function creatorViewer(db: Queryable, userId: number | null): Promise<Viewer | undefined> {
  if (userId === null) return undefined;
  const rows = await db.query<{ id: number; username: string; is_superuser: boolean; is_staff: boolean }>(
    'SELECT id, username, is_superuser, is_staff FROM users WHERE id = $1 AND is_active',
    [userId],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    id: row.id,
    username: row.username,
    isSuperuser: row.is_superuser,
    isStaff: row.is_staff,
    via: 'token',
  };
}
