import type { Queryable } from '../../db/database.js';

/** An image set as the rules need it, with the caller's membership in its team. */
export interface SetStandingRow {
  readonly team_id: number;
  readonly public: boolean;
  readonly collaboration_type: number;
  /** true admin, false member, null no membership. */
  readonly is_admin: boolean | null;
}

/** The lookups the policy makes for services that decide one object at a time. */
export class PolicyRepo {
  constructor(private readonly db: Queryable) {}

  /** An image set and the user's membership in its team; undefined when there is no such set. */
  async imageSet(setId: number, userId: number): Promise<SetStandingRow | undefined> {
    const rows = await this.db.query<SetStandingRow>(
      `SELECT s.team_id, s.public, s.collaboration_type, m.is_admin
       FROM image_sets s LEFT JOIN team_memberships m ON m.team_id = s.team_id AND m.user_id = $2
       WHERE s.id = $1`,
      [setId, userId],
    );
    return rows[0];
  }
}
