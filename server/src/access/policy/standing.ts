/**
 * Who the caller is toward one team's object. `reader`: signed in, outside the team, and the set is
 * public; `outsider`: outside the team otherwise. The blind peer is a `member` looking at another
 * reader's copy (rules.ts decides copies).
 */
export type Standing = 'anonymous' | 'outsider' | 'reader' | 'member' | 'team-admin' | 'superuser';

/** The caller as the rules need it: an id and whether they are a superuser; null when anonymous. */
export interface Caller {
  readonly id: number;
  readonly isSuperuser: boolean;
}

/** What the rules need to know of the team and set an object belongs to. */
export interface TeamStanding {
  /** The caller's membership: true admin, false member, null none. */
  readonly isAdmin: boolean | null;
  /** Whether the object's set is public (false for team-level objects). */
  readonly public: boolean;
}

/** The caller's standing toward an object of a team (and set). */
export function standingOf(caller: Caller | null, team: TeamStanding): Standing {
  if (caller === null) return 'anonymous';
  if (caller.isSuperuser) return 'superuser';
  if (team.isAdmin === true) return 'team-admin';
  if (team.isAdmin === false) return 'member';
  return team.public ? 'reader' : 'outsider';
}

/** Standings that administer the team: manage it, open every blind copy, export every reader's work. */
export function administers(standing: Standing): boolean {
  return standing === 'team-admin' || standing === 'superuser';
}

/** Standings that belong to the team (or oversee every team). */
export function belongs(standing: Standing): boolean {
  return standing === 'member' || administers(standing);
}
