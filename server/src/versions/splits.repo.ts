import type { Queryable } from '../db/database.js';
import type { Part, Ratios } from './splits.js';
import { insertedId } from '../db/inserted-id.js';

export interface SplitRow {
  id: number;
  version: number;
  name: string;
  method: 'manual' | 'ratio' | 'stratified';
  seed: number | null;
  ratios: Ratios | null;
  train: number[];
  validation: number[];
  test: number[];
  time: string;
}

const partOf = (p: Part) =>
  `ARRAY(SELECT si.image_id FROM set_version_split_images si WHERE si.split_id = sp.id AND si.part = '${p}' ORDER BY 1)`;

/** The SQL of splits: stored splits, their images, and a version's label counts per image. */
export class SplitsRepo {
  constructor(private readonly db: Queryable) {}

  async list(versionId: number, splitId?: number): Promise<SplitRow[]> {
    return this.db.query<SplitRow>(
      `SELECT sp.id, sp.version_id AS version, sp.name, sp.method, sp.seed, sp.ratios, sp.created_at AS time,
         ${partOf('train')} AS train, ${partOf('validation')} AS validation, ${partOf('test')} AS test
       FROM set_version_splits sp WHERE sp.version_id = $1 AND ($2::int IS NULL OR sp.id = $2) ORDER BY sp.id`,
      [versionId, splitId ?? null],
    );
  }

  async insert(
    versionId: number,
    s: { name: string; method: string; seed: number | null; ratios: Ratios | null; authorId: number },
    parts: ReadonlyMap<number, Part>,
  ): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO set_version_splits (version_id, name, method, seed, ratios, author_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [versionId, s.name, s.method, s.seed, s.ratios === null ? null : JSON.stringify(s.ratios), s.authorId],
    );
    const id = insertedId(rows);
    await this.db.query(
      `INSERT INTO set_version_split_images (split_id, image_id, part)
       SELECT $1, * FROM unnest($2::int[], $3::text[])`,
      [id, [...parts.keys()], [...parts.values()]],
    );
    return id;
  }

  /** Per image of the version, how many (not deleted) annotations of each type it holds. */
  async labelCounts(versionId: number): Promise<Map<number, Map<number, number>>> {
    const rows = await this.db.query<{ image_id: number; type: number; n: number }>(
      `SELECT r.image_id, r.annotation_type_id AS type, count(*)::int AS n
       FROM version_annotations r JOIN set_version_documents d ON d.document = r.document AND d.version_id = $1
       WHERE r.valid_from <= $1 AND (r.valid_to IS NULL OR r.valid_to > $1) AND NOT r.deleted
       GROUP BY 1, 2`,
      [versionId],
    );
    const counts = new Map<number, Map<number, number>>();
    for (const r of rows) {
      const image = counts.get(r.image_id) ?? new Map<number, number>();
      image.set(r.type, r.n);
      counts.set(r.image_id, image);
    }
    return counts;
  }
}
