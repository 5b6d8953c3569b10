import type { TextExportFormat, TextExportFormatCreate } from '@tessera/shared';
import type { Queryable, SqlValue } from '../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { listPage } from '../db/list-query.js';
import type { ListViewer } from '../resources/users/users.repo.js';
import { insertedId } from '../db/inserted-id.js';

export const exportFormatFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'f.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'f.name' },
  team: { type: 'int', lookups: ['exact'], column: 'f.team_id' },
};

const COLUMNS = [
  'name',
  'public',
  'base_format',
  'image_format',
  'annotation_format',
  'vector_format',
  'not_in_image_format',
  'name_format',
  'min_verifications',
  'image_aggregation',
] as const;

/** EXACT's stored text export formats: team members (and everyone, for public ones) read them. */
export class ExportFormatsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    if (!viewer.isSuperuser) {
      q.add(`(f.public OR EXISTS (SELECT 1 FROM team_memberships m WHERE m.team_id = f.team_id
        AND m.user_id = ${q.param(viewer.id)}))`);
    }
    q.addFilters(exportFormatFilters, filters);
    return listPage<TextExportFormat>(this.db, {
      select: () => `f.id, f.team_id AS team, ${COLUMNS.map((c) => `f.${c}`).join(', ')},
        ARRAY(SELECT t.annotation_type_id FROM export_format_annotation_types t WHERE t.export_format_id = f.id
          ORDER BY 1) AS annotations_types`,
      from: 'export_formats f',
      conditions: q,
      orderBy: 'f.id',
      page,
    });
  }

  async insert(input: TextExportFormatCreate): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO export_formats (team_id, ${COLUMNS.join(', ')})
       VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
      [input.team, ...COLUMNS.map((c) => input[c] as SqlValue)],
    );
    return insertedId(rows);
  }

  async update(id: number, input: Partial<TextExportFormatCreate>): Promise<void> {
    const params: SqlValue[] = [id];
    const sets: string[] = [];
    for (const column of COLUMNS) {
      const value = input[column];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length > 0)
      await this.db.query(`UPDATE export_formats SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async replaceTypes(id: number, types: readonly number[]): Promise<void> {
    await this.db.query('DELETE FROM export_format_annotation_types WHERE export_format_id = $1', [id]);
    await this.db.query(
      `INSERT INTO export_format_annotation_types (export_format_id, annotation_type_id)
       SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`,
      [id, types],
    );
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM export_formats WHERE id = $1', [id]);
  }

  /** Of these annotation types, those of the team's products. */
  async typesOfTeam(team: number, types: readonly number[]): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `SELECT t.id FROM annotation_types t JOIN products p ON p.id = t.product_id
       WHERE p.team_id = $1 AND t.id = ANY($2::int[])`,
      [team, types],
    );
    return rows.map((r) => r.id);
  }
}
