import type { Queryable } from '../../db/database.js';
import { SqlConditions } from '../../db/filters.js';
import { addAnnotationVisibility } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';

/**
 * Height in image pixels of the bands the queue walks: about one screen of a slide at full
 * resolution, so consecutive annotations of the queue are near each other.
 */
export const REVIEW_BAND = 1024;

export interface ReviewRow {
  annotation: number;
  unique_identifier: string;
  image: number;
  annotation_type: number;
  user: number | null;
  generated: boolean;
  frame: number | null;
  x: number | null;
  y: number | null;
  accepts: number;
  rejects: number;
  status: 'open' | 'verified' | 'rejected' | 'disputed';
}

export interface DisagreementRow extends ReviewRow {
  verdicts: { user: number; verified: boolean; time: string }[];
}

export interface ReviewScope {
  readonly imageSet: number;
  readonly required: number;
  /** The person whose queue it is. */
  readonly reviewer: number;
  /** Only this image of the set. */
  readonly image?: number;
}

/**
 * The tally of every live annotation of a set the viewer sees (review.ts's rule in SQL: verdicts by
 * others than the creator, accepting and rejecting), with its place in review order (REVIEW_ORDER):
 * by image, frame, image-level labels first, then bands of REVIEW_BAND pixels top to bottom, walked
 * left to right and right to left in turn (a serpentine, as one screens a slide), then id. Verdicts
 * are counted apart and joined (a hash join), not grouped with every annotation: at 100,000
 * annotations grouping them all cost most of a request.
 */
function tallied(viewer: ListViewer, scope: ReviewScope): { sql: string; q: SqlConditions } {
  const q = new SqlConditions();
  addAnnotationVisibility(q, viewer);
  q.add(`a.image_set_id = ${q.param(scope.imageSet)}::int`);
  q.add('NOT a.deleted');
  if (scope.image !== undefined) q.add(`a.image_id = ${q.param(scope.image)}::int`);
  const me = q.param(scope.reviewer);
  const n = q.param(scope.required);
  const band = `floor((a.y_min + a.y_max) / 2 / ${REVIEW_BAND})`;
  const sql = `WITH judged AS (
      SELECT v.annotation_id,
        count(*) FILTER (WHERE v.verified AND v.user_id IS DISTINCT FROM a.user_id)::int AS accepts,
        count(*) FILTER (WHERE NOT v.verified AND v.user_id IS DISTINCT FROM a.user_id)::int AS rejects,
        bool_or(v.user_id = ${me}::int) AS judged_by_me
      FROM annotation_verifications v JOIN annotations a ON a.id = v.annotation_id
      ${q.where()}
      GROUP BY v.annotation_id),
    tally AS (
      SELECT a.id AS annotation, a.unique_identifier::text AS unique_identifier, a.image_id AS image,
        a.annotation_type_id AS annotation_type, a.user_id AS "user", a.generated, a.frame,
        (a.x_min + a.x_max) / 2 AS x, (a.y_min + a.y_max) / 2 AS y,
        coalesce(j.accepts, 0) AS accepts, coalesce(j.rejects, 0) AS rejects,
        coalesce(j.judged_by_me, false) AS judged_by_me,
        coalesce(a.frame, 0) AS k_frame, a.x_min IS NOT NULL AS k_shape, coalesce(${band}, 0) AS k_band,
        coalesce(CASE WHEN ${band}::bigint % 2 = 0 THEN a.x_min + a.x_max ELSE -(a.x_min + a.x_max) END, 0)
          AS k_across
      FROM annotations a LEFT JOIN judged j ON j.annotation_id = a.id
      ${q.where()}),
    reviewed AS (
      SELECT *, CASE WHEN accepts > 0 AND rejects > 0 THEN 'disputed'
          WHEN accepts >= ${n}::int THEN 'verified' WHEN rejects >= ${n}::int THEN 'rejected'
          ELSE 'open' END AS status,
        "user" IS DISTINCT FROM ${me}::int AND NOT judged_by_me AND accepts + rejects < ${n}::int AS needs_me
      FROM tally)`;
  return { sql, q };
}

/** Review order, as a row of `reviewed`'s columns (compared whole for "after"). */
const REVIEW_ORDER = 'image, k_frame, k_shape, k_band, k_across, annotation';

/** The queue after the annotation whose unique identifier is `$after` (all of it if there is none). */
function afterCondition(after: string): string {
  const anchor = `FROM reviewed r WHERE r.unique_identifier = ${after}::text`;
  return `reviewed WHERE needs_me AND (NOT EXISTS (SELECT 1 ${anchor})
    OR (${REVIEW_ORDER}) > (SELECT ${REVIEW_ORDER} ${anchor} LIMIT 1))`;
}

const COLUMNS = `annotation, unique_identifier, image, annotation_type, "user", generated, frame, x, y,
  accepts, rejects, status`;

/** The second-opinion review of a set: its queue, its disagreements, its counts. */
export class ReviewsRepo {
  constructor(private readonly db: Queryable) {}

  /**
   * The annotations that still need the reviewer's opinion, in review order; with `after` (a unique
   * identifier), those placed after that annotation (which itself need not be in the queue any more).
   */
  async queue(
    viewer: ListViewer,
    scope: ReviewScope,
    page: { limit: number; offset: number },
    after?: string,
  ): Promise<{ count: number; rows: ReviewRow[] }> {
    const { sql, q } = tallied(viewer, scope);
    const from = after === undefined ? 'reviewed WHERE needs_me' : afterCondition(q.param(after));
    const found = await this.page(sql, q, from, page);
    return { count: found.count, rows: found.rows as ReviewRow[] };
  }

  /** The disputed annotations, in review order, with every verdict on each. */
  async disagreements(
    viewer: ListViewer,
    scope: ReviewScope,
    page: { limit: number; offset: number },
  ): Promise<{ count: number; rows: DisagreementRow[] }> {
    const { sql, q } = tallied(viewer, scope);
    const found = await this.page(sql, q, "reviewed WHERE status = 'disputed'", page, {
      columns: `, (SELECT json_agg(json_build_object('user', v.user_id, 'verified', v.verified,
          'time', to_char(v.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')) ORDER BY v.time, v.user_id)
        FROM annotation_verifications v WHERE v.annotation_id = reviewed.annotation) AS verdicts`,
    });
    return { count: found.count, rows: found.rows as DisagreementRow[] };
  }

  /** How many annotations are in each state, and how many need the reviewer. */
  async summary(
    viewer: ListViewer,
    scope: ReviewScope,
  ): Promise<Record<'open' | 'verified' | 'rejected' | 'disputed' | 'needs_my_opinion', number>> {
    const { sql, q } = tallied(viewer, scope);
    const rows = await this.db.query<Record<string, number>>(
      `${sql} SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
         count(*) FILTER (WHERE status = 'verified')::int AS verified,
         count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
         count(*) FILTER (WHERE status = 'disputed')::int AS disputed,
         count(*) FILTER (WHERE needs_me)::int AS needs_my_opinion
       FROM reviewed`,
      q.params,
    );
    const row = rows[0] ?? {};
    return {
      open: row['open'] ?? 0,
      verified: row['verified'] ?? 0,
      rejected: row['rejected'] ?? 0,
      disputed: row['disputed'] ?? 0,
      needs_my_opinion: row['needs_my_opinion'] ?? 0,
    };
  }

  /** One page of `from` in review order, with the count of all of it. */
  private async page(
    sql: string,
    q: SqlConditions,
    from: string,
    page: { limit: number; offset: number },
    extra: { columns?: string } = {},
  ): Promise<{ count: number; rows: unknown[] }> {
    const limit = q.param(page.limit);
    const offset = q.param(page.offset);
    const rows = await this.db.query<{ total: number }>(
      `${sql} SELECT ${COLUMNS}${extra.columns ?? ''}, count(*) OVER ()::int AS total
       FROM ${from} ORDER BY ${REVIEW_ORDER} LIMIT ${limit}::int OFFSET ${offset}::int`,
      q.params,
    );
    // The window count is empty past the last row: count again only then.
    const count =
      rows[0]?.total ??
      (page.offset === 0
        ? 0
        : ((
            await this.db.query<{ n: number }>(
              `${sql} SELECT count(*)::int AS n FROM ${from}`,
              q.params.slice(0, -2),
            )
          )[0]?.n ?? 0));
    return { count, rows: rows.map(({ total: _total, ...row }) => row) };
  }
}
