import type { Queryable } from '../db/database.js';
import { insertedId } from '../db/inserted-id.js';

export interface ArtifactRow {
  id: number;
  version: number;
  name: string;
  size: number;
  sha256: Buffer;
  storage_path: string;
  uploaded_by: number | null;
  time: string;
}

/** The SQL of version artifacts. */
export class ArtifactsRepo {
  constructor(private readonly db: Queryable) {}

  async list(versionId: number, artifactId?: number): Promise<ArtifactRow[]> {
    return this.db.query<ArtifactRow>(
      `SELECT id, version_id AS version, name, size_bytes AS size, sha256, storage_path, uploaded_by,
         created_at AS time
       FROM set_version_artifacts WHERE version_id = $1 AND ($2::int IS NULL OR id = $2) ORDER BY id`,
      [versionId, artifactId ?? null],
    );
  }

  async insert(a: {
    versionId: number;
    name: string;
    size: number;
    sha256: Buffer;
    storagePath: string;
    uploadedBy: number;
  }): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO set_version_artifacts (version_id, name, size_bytes, sha256, storage_path, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [a.versionId, a.name, a.size, a.sha256, a.storagePath, a.uploadedBy],
    );
    return insertedId(rows);
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM set_version_artifacts WHERE id = $1', [id]);
  }
}
