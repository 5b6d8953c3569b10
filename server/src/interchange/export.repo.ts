import type { Readable } from 'node:stream';
import { sqlInteger, sqlIntegers } from '../db/binary-copy.js';
import type { Database, Queryable, SqlValue } from '../db/database.js';
import type { ExportContext, ExportImage, ExportRow, ExportType } from './export-model.js';
import { compactRowSql, parseCompactRow } from './export-rows.js';

/** What an export reads: a version's frozen rows, or the live projection of one image set. */
export type ExportSource = { readonly version: number } | { readonly imageSet: number };

export interface ExportFilters {
  readonly types?: readonly number[];
  readonly images?: readonly number[];
  readonly includeDeleted: boolean;
  /** Only annotations at least this many users verified (0: all). */
  readonly minVerifications: number;
  /** Also read creator, editor, times and meta data (EXACT's templates). */
  readonly extended?: boolean;
  /** Rows come image by image (EXACT's image aggregation). */
  readonly byImage?: boolean;
}

/**
 * Rows fetched per round trip: enough to amortise it, few enough that a batch's parsed rows die
 * young (two are held at a time). Measured at 1,000,000 rows: 10,000 cost 10 s of server CPU in
 * garbage collection and parsing, 2,000 cost 6.5 s.
 */
const BATCH = 2000;

/** What a text template says of the exported set(s) and their team. */
export interface SourceDescription {
  name: string;
  description: string;
  location: string;
  team: string;
}

/** The SQL of exports: the images and types an export names, and its rows through a cursor. */
export class ExportRepo {
  constructor(private readonly db: Database) {}

  /** The images (with sizes as the source knows them) and the annotation types of a source. */
  async context(source: ExportSource, filters: ExportFilters): Promise<ExportContext> {
    const images =
      'version' in source
        ? await this.db.query<ExportImage>(
            `SELECT image_id AS id, name, width, height FROM set_version_images
             WHERE version_id = $1 AND ($2::int[] IS NULL OR image_id = ANY($2)) ORDER BY image_id`,
            [source.version, filters.images ?? null],
          )
        : await this.db.query<ExportImage>(
            `SELECT id, name, width, height FROM images
             WHERE image_set_id = $1 AND ($2::int[] IS NULL OR id = ANY($2)) ORDER BY id`,
            [source.imageSet, filters.images ?? null],
          );
    const sets =
      'version' in source
        ? `(SELECT image_set_id FROM set_version_image_sets WHERE version_id = $1)`
        : `(SELECT $1::int)`;
    const types = await this.db.query<ExportType>(
      `SELECT t.id, t.name, t.vector_type, t.color_code FROM annotation_types t
       WHERE t.product_id IN (SELECT product_id FROM product_image_sets WHERE image_set_id IN ${sets})
         AND ($2::int[] IS NULL OR t.id = ANY($2))
       ORDER BY t.sort_order, t.id`,
      ['version' in source ? source.version : source.imageSet, filters.types ?? null],
    );
    return {
      images: new Map(images.map((i) => [i.id, i])),
      types: new Map(types.map((t) => [t.id, t])),
    };
  }

  /** User names by id. */
  async usernames(ids: readonly number[]): Promise<Map<number, string>> {
    const rows = await this.db.query<{ id: number; username: string }>(
      'SELECT id, username FROM users WHERE id = ANY($1::int[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /** The set's (or the version's sets') name, description, location and team name. */
  async describe(source: ExportSource): Promise<SourceDescription> {
    const rows = await this.db.query<SourceDescription>(
      'version' in source
        ? `SELECT string_agg(vs.name, ', ' ORDER BY vs.image_set_id) AS name, max(v.description) AS description,
             '' AS location, max(t.name) AS team
           FROM set_versions v JOIN set_version_image_sets vs ON vs.version_id = v.id JOIN teams t ON t.id = v.team_id
           WHERE v.id = $1`
        : `SELECT s.name, s.description, s.location, t.name AS team
           FROM image_sets s JOIN teams t ON t.id = s.team_id WHERE s.id = $1`,
      ['version' in source ? source.version : source.imageSet],
    );
    return rows[0] ?? { name: '', description: '', location: '', team: '' };
  }

  /**
   * Reads the source's rows through a server-side cursor, a batch at a time; `onBatch` answers false
   * to stop early (the client went away). Memory stays flat whatever the number of annotations.
   */
  async each(
    source: ExportSource,
    filters: ExportFilters,
    onBatch: (rows: readonly ExportRow[]) => Promise<boolean>,
  ): Promise<void> {
    const params: SqlValue[] = [];
    const { from, where } = rowsOf(source, filters, (value) => {
      params.push(value);
      return `$${params.length}`;
    });
    const extended = filters.extended === true;
    const order = filters.byImage === true ? ' ORDER BY r.image_id, r.id' : '';
    const sql = `SELECT ${compactRowSql(extended)} AS row FROM ${from} WHERE ${where}${order}`;
    await this.db.withConnection(async (conn: Queryable) => {
      await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        await conn.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, params);
        const fetch = async () => {
          const texts = await conn.query<{ row: string }>(`FETCH ${BATCH} FROM export_rows`);
          return texts.map((t) => parseCompactRow(t.row, extended));
        };
        // One batch ahead: PostgreSQL reads and sends the next batch while this process writes the
        // current one, so the two work at the same time rather than in turns.
        let next = fetch();
        // Settled later (or left unread when this rejects): never an unhandled rejection meanwhile.
        next.catch(() => undefined);
        for (;;) {
          const rows = await next;
          if (rows.length < BATCH) {
            if (rows.length > 0) await onBatch(rows);
            break;
          }
          next = fetch();
          next.catch(() => undefined);
          if (!(await onBatch(rows))) {
            await next;
            break;
          }
        }
      } finally {
        await conn.query('ROLLBACK');
      }
    });
  }

  /**
   * Streams the source's rows as binary COPY tuples of `columns` (of row `r`) to `consume`: no
   * text or object per row (coco-copy.ts). One statement, so one snapshot.
   */
  async copy<T>(
    source: ExportSource,
    filters: ExportFilters,
    columns: readonly string[],
    consume: (data: Readable) => Promise<T>,
  ): Promise<T> {
    // COPY takes no bind parameters: the values (all integers) are written into the statement.
    const { from, where } = rowsOf(source, filters, (value) =>
      typeof value === 'number' ? sqlInteger(value) : sqlIntegers(value),
    );
    const sql = `COPY (SELECT ${columns.join(', ')} FROM ${from} WHERE ${where}) TO STDOUT (FORMAT binary)`;
    return this.db.copyOut(sql, consume);
  }
}

/**
 * The FROM and WHERE of a source's rows under the filters; `bind` turns a value (an integer or a
 * list of integers) into the SQL that stands for it.
 */
function rowsOf(
  source: ExportSource,
  filters: ExportFilters,
  bind: (value: number | readonly number[]) => string,
): { from: string; where: string } {
  const at = bind('version' in source ? source.version : source.imageSet);
  const from =
    'version' in source
      ? `version_annotations r JOIN set_version_documents d ON d.document = r.document AND d.version_id = ${at}`
      : 'annotations r';
  const conditions: string[] = [
    'version' in source
      ? `r.valid_from <= ${at} AND (r.valid_to IS NULL OR r.valid_to > ${at})`
      : `r.image_set_id = ${at}`,
  ];
  if (!filters.includeDeleted) conditions.push('NOT r.deleted');
  if (filters.types) conditions.push(`r.annotation_type_id = ANY(${bind(filters.types)}::int[])`);
  if (filters.minVerifications > 0) {
    const least = bind(filters.minVerifications);
    conditions.push(
      'version' in source
        ? `r.verified_count >= ${least}`
        : `(SELECT count(*) FROM annotation_verifications v WHERE v.annotation_id = r.id AND v.verified) >= ${least}`,
    );
  }
  if (filters.images) conditions.push(`r.image_id = ANY(${bind(filters.images)}::int[])`);
  return { from, where: conditions.join(' AND ') };
}
