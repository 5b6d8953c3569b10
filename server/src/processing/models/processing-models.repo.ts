import type { ModelSpec, ProcessingModel } from '@tessera/shared';
import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { insertedId } from '../../db/inserted-id.js';
import { listPage } from '../../db/list-query.js';
import type { ListViewer } from '../../resources/users/users.repo.js';

export const processingModelFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'm.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'm.name' },
  team: { type: 'int', lookups: ['exact'], column: 'm.team_id' },
};

/** A model row as the service stores it. */
export interface ModelInsert {
  readonly team: number;
  readonly name: string;
  readonly description: string;
  readonly spec: ModelSpec;
  readonly filePath: string;
  readonly size: number;
  readonly sha256: string;
  readonly creator: number;
}

type Row = Omit<ProcessingModel, 'created'> & { created: string };

/** Uploaded models: seen by their team's members (and superusers). */
export class ProcessingModelsRepo {
  constructor(private readonly db: Queryable) {}

  list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    if (!viewer.isSuperuser) {
      q.add(
        `EXISTS (SELECT 1 FROM team_memberships t WHERE t.team_id = m.team_id AND t.user_id = ${q.param(viewer.id)})`,
      );
    }
    q.addFilters(processingModelFilters, filters);
    return listPage<Row>(this.db, {
      select: () => `m.id, m.team_id AS team, m.name, m.description, m.spec, m.byte_size::integer AS size,
        m.sha256, m.creator_id AS creator, to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created`,
      from: 'processing_models m',
      conditions: q,
      orderBy: 'm.id',
      page,
    });
  }

  async insert(m: ModelInsert): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO processing_models (team_id, name, description, spec, file_path, byte_size, sha256, creator_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [m.team, m.name, m.description, JSON.stringify(m.spec), m.filePath, m.size, m.sha256, m.creator],
    );
    return insertedId(rows);
  }

  /** What running a model needs: its team, name, spec and stored file. */
  async stored(
    id: number,
  ): Promise<{ team: number; name: string; spec: unknown; filePath: string } | undefined> {
    const rows = await this.db.query<{ team: number; name: string; spec: unknown; file_path: string }>(
      'SELECT team_id AS team, name, spec, file_path FROM processing_models WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row && { team: row.team, name: row.name, spec: row.spec, filePath: row.file_path };
  }

  /** The team of an image (through its set). */
  async teamOfImage(imageId: number): Promise<number | undefined> {
    const rows = await this.db.query<{ team: number }>(
      'SELECT s.team_id AS team FROM images i JOIN image_sets s ON s.id = i.image_set_id WHERE i.id = $1',
      [imageId],
    );
    return rows[0]?.team;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM processing_models WHERE id = $1', [id]);
  }
}
