/*
 * The rules of rules.ts as SQL conditions, for the repositories: each returns a fragment whose
 * parameters it registers on the caller's SqlConditions (`q.param`), so lists, retrieves, filters,
 * expansions and counts answer exactly what the rules let the viewer see.
 */
import type { SqlConditions } from '../../db/filters.js';
import type { ListViewer } from '../../resources/users/users.repo.js';
import { BLIND } from './modes.js';

/** [P1] The viewer sees image set `alias`: a superuser, a member of its team, anyone when it is public. */
export function imageSetVisible(q: SqlConditions, viewer: ListViewer, alias: string): string {
  if (viewer.isSuperuser) return 'true';
  return `(${alias}.public OR EXISTS (SELECT 1 FROM team_memberships mv
    WHERE mv.team_id = ${alias}.team_id AND mv.user_id = ${q.param(viewer.id)}))`;
}

/** The viewer administers the team of image set `alias` (superusers are handled by the callers). */
function administersSet(q: SqlConditions, viewer: ListViewer, alias: string): string {
  return `EXISTS (SELECT 1 FROM team_memberships ma WHERE ma.team_id = ${alias}.team_id
    AND ma.user_id = ${q.param(viewer.id)} AND ma.is_admin)`;
}

/**
 * [P2] Adds to `q` that the viewer sees annotation `a` (of the projection): annotations of visible
 * sets; in blind sets only the viewer's own copy's, unless they administer the team. Verifications
 * and media files are seen exactly where their annotation is. The visible sets are computed once per
 * query (`ARRAY(...)` is an init plan), never joined: a join hides from the planner that a page of
 * one image in id order is a range of the (image_id, id) index, and it sorted every annotation of the
 * image instead.
 */
export function addAnnotationVisibility(q: SqlConditions, viewer: ListViewer): void {
  if (viewer.isSuperuser) return;
  const visible = imageSetVisible(q, viewer, 's');
  const own = q.param(`.user.${viewer.id}`);
  q.add(`a.image_set_id = ANY (ARRAY(SELECT s.id FROM image_sets s
      WHERE ${visible} AND (s.collaboration_type <> ${BLIND} OR ${administersSet(q, viewer, 's')})))
    OR (${ownCopy('a', own)}
      AND a.image_set_id = ANY (ARRAY(SELECT s.id FROM image_sets s WHERE ${visible})))`);
}

/**
 * [P2] The viewer sees annotation `a` of set `set`, for conditions that already know the set is
 * visible (counts and filters on images): outside blind sets every annotation, in them the viewer's
 * own copy's, or all for those who administer the team.
 */
export function annotationInSeenCopy(q: SqlConditions, viewer: ListViewer, a: string, set: string): string {
  if (viewer.isSuperuser) return 'true';
  return `(${set}.collaboration_type <> ${BLIND}
    OR ${ownCopy(a, q.param(`.user.${viewer.id}`))}
    OR ${administersSet(q, viewer, set)})`;
}

/**
 * [P8] The viewer sees annotation map `m` of set `s`: where they see the set; in blind sets only
 * those who administer the team (a map shows every reader's annotations).
 */
export function annotationMapVisible(q: SqlConditions, viewer: ListViewer, set: string): string {
  if (viewer.isSuperuser) return 'true';
  return `(${imageSetVisible(q, viewer, set)}
    AND (${set}.collaboration_type <> ${BLIND} OR ${administersSet(q, viewer, set)}))`;
}

/** [P6] The viewer sees version `alias`: its team; one holding a blind set only those who administer it. */
export function versionVisible(q: SqlConditions, viewer: ListViewer, alias: string): string {
  if (viewer.isSuperuser) return 'true';
  return `EXISTS (SELECT 1 FROM team_memberships mv WHERE mv.team_id = ${alias}.team_id AND mv.user_id = ${q.param(viewer.id)}
    AND (mv.is_admin OR NOT EXISTS (SELECT 1 FROM set_version_image_sets vb JOIN image_sets sb ON sb.id = vb.image_set_id
      WHERE vb.version_id = ${alias}.id AND sb.collaboration_type = ${BLIND})))`;
}

/**
 * [P7] The viewer sees row `alias` (with `user_id`) of an image in set `s`: their own rows of images
 * they still see, and every row of the teams they administer.
 */
export function ownOrAdministered(q: SqlConditions, viewer: ListViewer, alias: string): string {
  if (viewer.isSuperuser) return 'true';
  return `((${alias}.user_id = ${q.param(viewer.id)} AND ${imageSetVisible(q, viewer, 's')})
    OR ${administersSet(q, viewer, 's')})`;
}

/**
 * [P9] The viewer sees plugin job `j` of set `s` (and its results): where they see the set; in blind
 * sets, whose proposals go to the creator's own copy, only its creator and those who administer the team.
 */
export function pluginJobVisible(q: SqlConditions, viewer: ListViewer, job: string, set: string): string {
  if (viewer.isSuperuser) return 'true';
  return `(${imageSetVisible(q, viewer, set)} AND (${set}.collaboration_type <> ${BLIND}
    OR ${job}.creator_id = ${q.param(viewer.id)} OR ${administersSet(q, viewer, set)}))`;
}

/**
 * Annotation `a` is in the reader's own blind copy (`own` the parameter holding `.user.<id>`): its
 * whole document or, for an image with regions, one of its parts (`....user.<id>.region.<x>.<y>`).
 */
function ownCopy(a: string, own: string): string {
  return `(${a}.document = 'image.' || ${a}.image_id || ${own}::text
    OR starts_with(${a}.document, 'image.' || ${a}.image_id || ${own}::text || '.'))`;
}
