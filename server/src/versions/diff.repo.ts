import type { DiffChange } from '@tessera/shared';
import type { Queryable, SqlValue } from '../db/database.js';
import { contentRow, liveRows } from './versions.repo.js';

/** One side of a diff: a version, or the live projection of the version's image sets. */
export type DiffSide = { readonly version: number } | { readonly nowOfVersion: number };

export interface DiffCountRow {
  image_id: number;
  annotation_type_id: number;
  change: DiffChange;
  n: number;
}

export interface DiffDetailRow {
  image_id: number;
  unique_identifier: string;
  annotation_type_id: number;
  change: DiffChange;
  geometry: boolean;
  label: boolean;
  deleted: boolean;
  description: boolean;
  meta_data: boolean;
  verification: boolean;
}

/**
 * `copy`: the image's document, or a reader's blind copy, without its region part (G5): an annotation
 * is paired across the sides by its copy, so one converted to regions (G6) or kept in another region
 * document is the same annotation.
 */
const COLUMNS = `r.document, substring(r.document FROM '^image\\.[0-9]+(?:\\.user\\.[0-9]+)?') AS copy,
  r.image_id, r.unique_identifier, r.annotation_type_id, r.vector, r.deleted,
  r.description, r.meta_data, r.verifications`;

/** The content to compare (h) and a marker that the side holds the annotation at all (present). */
const CONTENT = `${contentRow('r')} AS h, true AS present`;

/** Frozen rows valid in version `$n` (optionally only some of its documents). */
function versionRows(param: string, extra = ''): string {
  return `SELECT ${COLUMNS}, ${CONTENT} FROM version_annotations r
    JOIN set_version_documents d ON d.document = r.document AND d.version_id = ${param}
    WHERE r.valid_from <= ${param} AND (r.valid_to IS NULL OR r.valid_to > ${param}) ${extra}`;
}

/** The documents each side captured, split into those both hold and those only one holds. */
export interface DiffDocuments {
  readonly both: readonly string[];
  readonly onlyOlder: readonly string[];
  readonly onlyNewer: readonly string[];
}

/**
 * The rows only one side holds, as `a` (older side) and `b`. Between two versions the temporal ranges
 * find them through the indexes without touching unchanged rows; against now every row is compared.
 */
function sidesSql(
  from: DiffSide,
  to: DiffSide,
  documents: DiffDocuments,
): { sql: string; params: SqlValue[] } {
  if ('version' in from && 'version' in to) {
    // Documents both versions captured: only rows whose range ends (a) or starts (b) between them.
    const changed = (range: string) => `SELECT ${COLUMNS}, ${CONTENT} FROM version_annotations r
      WHERE r.document = ANY($3::text[]) AND ${range}`;
    const whole = (param: string, docs: string) => `SELECT ${COLUMNS}, ${CONTENT} FROM version_annotations r
      WHERE r.document = ANY(${docs}::text[]) AND r.valid_from <= ${param} AND (r.valid_to IS NULL OR r.valid_to > ${param})`;
    return {
      sql: `a AS (${changed('r.valid_from <= $1 AND r.valid_to > $1 AND r.valid_to <= $2')}
                  UNION ALL ${whole('$1', '$4')}),
            b AS (${changed('r.valid_from > $1 AND r.valid_from <= $2 AND (r.valid_to IS NULL OR r.valid_to > $2)')}
                  UNION ALL ${whole('$2', '$5')})`,
      params: [
        from.version,
        to.version,
        [...documents.both],
        [...documents.onlyOlder],
        [...documents.onlyNewer],
      ],
    };
  }
  const version = 'version' in from ? from.version : 'version' in to ? to.version : to.nowOfVersion;
  const live = `SELECT ${COLUMNS}, ${CONTENT} FROM (${liveRows(
    'a.image_set_id IN (SELECT image_set_id FROM set_version_image_sets WHERE version_id = $1)',
  )}) r`;
  const frozen = versionRows('$1');
  return {
    sql: 'version' in from ? `a AS (${frozen}), b AS (${live})` : `a AS (${live}), b AS (${frozen})`,
    params: [version],
  };
}

/** Whether the side (alias) holds the annotation, not deleted: what a viewer of that side sees. */
const visible = (side: string) => `(${side}.present IS NOT NULL AND NOT ${side}.deleted)`;

/** A field's difference between the sides (only meaningful where both hold the annotation). */
const differs = (column: string) => `a.${column} IS DISTINCT FROM b.${column}`;

/**
 * Every annotation whose visible state differs between the sides, classified from `from` to `to`
 * (diffChange): deletion is a removal and undeletion a restore, not a change of a field, and an
 * annotation deleted (or absent) on both sides is no difference at all. Who edited it last and when
 * are not compared, so a restore that brings every field back leaves no difference.
 */
function pairsSql(
  older: DiffSide,
  newer: DiffSide,
  documents: DiffDocuments,
  backwards: boolean,
): { sql: string; params: SqlValue[] } {
  const sides = sidesSql(older, newer, documents);
  const [f, t] = backwards ? ['b', 'a'] : ['a', 'b'];
  return {
    sql: `WITH ${sides.sql},
      classified AS (
        SELECT coalesce(${t}.image_id, ${f}.image_id) AS image_id,
          coalesce(${t}.unique_identifier, ${f}.unique_identifier) AS unique_identifier,
          coalesce(${t}.annotation_type_id, ${f}.annotation_type_id) AS annotation_type_id,
          CASE WHEN ${visible(f)} AND ${visible(t)} THEN 'changed'
               WHEN ${visible(t)} AND ${f}.present IS NOT NULL THEN 'restored'
               WHEN ${visible(t)} THEN 'added'
               WHEN ${visible(f)} THEN 'removed' END AS change,
          (${differs('vector')}) AS geometry,
          (${differs('annotation_type_id')}) AS label,
          false AS deleted,
          (${differs('description')}) AS description,
          (${differs('meta_data')}) AS meta_data,
          (${differs('verifications')}) AS verification
        FROM a FULL JOIN b ON a.copy = b.copy AND a.unique_identifier = b.unique_identifier
        WHERE a.h IS DISTINCT FROM b.h),
      pairs AS (
        SELECT * FROM classified
        WHERE change IN ('added', 'removed', 'restored')
          OR (change = 'changed' AND (geometry OR label OR description OR meta_data OR verification)))`,
    params: sides.params,
  };
}

/** The SQL of diffs between versions and between a version and now. */
export class DiffRepo {
  constructor(private readonly db: Queryable) {}

  /** Which documents the two versions captured. */
  async documents(older: number, newer: number): Promise<DiffDocuments> {
    const rows = await this.db.query<{ document: string; older: boolean; newer: boolean }>(
      `SELECT document, bool_or(version_id = $1) AS older, bool_or(version_id = $2) AS newer
       FROM set_version_documents WHERE version_id IN ($1, $2) GROUP BY document`,
      [older, newer],
    );
    return {
      both: rows.filter((r) => r.older && r.newer).map((r) => r.document),
      onlyOlder: rows.filter((r) => r.older && !r.newer).map((r) => r.document),
      onlyNewer: rows.filter((r) => !r.older && r.newer).map((r) => r.document),
    };
  }

  /** Counts per image, annotation type and kind of change, from the older side (or newer, backwards). */
  async counts(
    older: DiffSide,
    newer: DiffSide,
    documents: DiffDocuments,
    backwards: boolean,
  ): Promise<DiffCountRow[]> {
    const { sql, params } = pairsSql(older, newer, documents, backwards);
    return this.db.query<DiffCountRow>(
      `${sql} SELECT image_id, annotation_type_id, change, count(*)::int AS n FROM pairs
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      params,
    );
  }

  /** The differing annotations themselves, at most `limit`, ordered by image and id. */
  async details(
    older: DiffSide,
    newer: DiffSide,
    documents: DiffDocuments,
    backwards: boolean,
    limit: number,
  ): Promise<DiffDetailRow[]> {
    const { sql, params } = pairsSql(older, newer, documents, backwards);
    return this.db.query<DiffDetailRow>(
      `${sql} SELECT * FROM pairs ORDER BY image_id, unique_identifier LIMIT ${Math.trunc(limit)}`,
      params,
    );
  }
}
