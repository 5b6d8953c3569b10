import type { EndpointPolicy } from '../../api/endpoint-policy.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { PolicyRepo, type SetStandingRow } from './policy.repo.js';
import { decide, type Verdict } from './rules.js';
import { standingOf } from './standing.js';

/** Throws the answer a verdict calls for: 404 where the caller may not see, 403 where they may not act. */
export function enforce(verdict: Verdict, forbidden = 'You may not do this here.'): void {
  if (verdict === 'hidden') throw AppError.notFound();
  if (verdict === 'forbidden') throw AppError.forbidden(forbidden);
}

/**
 * Demands that `policy` allows the viewer on image set `setId` (its rules in rules.ts); a set that
 * does not exist is refused like one the viewer may not see (404). Answers the set's row, so that a
 * service needs no second lookup of its team or mode.
 */
export async function requireOnImageSet(
  db: Queryable,
  viewer: Viewer,
  setId: number,
  policy: EndpointPolicy,
  forbidden?: string,
): Promise<SetStandingRow> {
  return requireInImageSet(db, viewer, { setId }, policy, forbidden);
}

/**
 * Demands that `policy` allows the viewer on an object of image set `setId` made by `owner` (an
 * annotation map and its creator, for `own-or-administer`); decided like `requireOnImageSet`.
 */
export async function requireInImageSet(
  db: Queryable,
  viewer: Viewer,
  object: { readonly setId: number; readonly owner?: number | null; readonly copyOwner?: number | null },
  policy: EndpointPolicy,
  forbidden?: string,
): Promise<SetStandingRow> {
  const set = await new PolicyRepo(db).imageSet(object.setId, viewer.id);
  if (set === undefined) throw AppError.notFound();
  const standing = standingOf(viewer, { isAdmin: set.is_admin, public: set.public });
  const subject = {
    caller: viewer,
    standing,
    mode: set.collaboration_type,
    owner: object.owner ?? null,
    copyOwner: object.copyOwner ?? null,
  };
  enforce(decide(policy, subject), forbidden);
  return set;
}
