import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { VersionArtifact } from '@tessera/shared';
import { TeamAccess } from '../access/team-access.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import { readMultipart } from '../ingest/multipart.js';
import type { ImageStorage } from '../ingest/storage.js';
import { ArtifactsRepo, type ArtifactRow } from './artifacts.repo.js';
import type { VersionsService } from './versions.service.js';

/**
 * Files attached to a version: streamed to `$TESSERA_DATA_DIR/versions/<version>/` while their
 * SHA-256 and size are taken (never held in memory, the upload size limit enforced while streaming).
 * Team members attach, list and download; team admins delete.
 */
export class ArtifactsService {
  private readonly root: string;

  constructor(
    private readonly db: Database,
    private readonly versions: VersionsService,
    private readonly storage: ImageStorage,
    dataDir: string,
    private readonly maxBytes: number,
  ) {
    this.root = path.join(dataDir, 'versions');
  }

  async list(viewer: Viewer, versionId: number): Promise<VersionArtifact[]> {
    const version = await this.versions.visible(viewer, versionId);
    return (await new ArtifactsRepo(this.db).list(version.id)).map(present);
  }

  /** Stores every file of a multipart upload (an optional `name` field names a single file). */
  async attach(viewer: Viewer, versionId: number, req: IncomingMessage): Promise<VersionArtifact[]> {
    const version = await this.versions.visible(viewer, versionId);
    await new TeamAccess(this.db).requireMember(viewer, version.team, () =>
      AppError.forbidden('Only members of the team may attach files.'),
    );
    const upload = await readMultipart(req, this.storage, this.maxBytes);
    if (upload.files.length === 0) throw AppError.badRequest('Send the file as multipart/form-data.');
    const repo = new ArtifactsRepo(this.db);
    const ids: number[] = [];
    for (const file of upload.files) {
      const relative = path.posix.join(String(version.id), randomUUID());
      const target = path.join(this.root, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(file.staged.file, target);
      const name = (upload.files.length === 1 ? upload.fields.name : undefined) ?? file.originalName;
      ids.push(
        await repo.insert({
          versionId: version.id,
          name: name.slice(0, 255) || 'file',
          size: file.staged.size,
          sha256: file.staged.sha256,
          storagePath: relative,
          uploadedBy: viewer.id,
        }),
      );
    }
    const rows = await repo.list(version.id);
    return rows.filter((r) => ids.includes(r.id)).map(present);
  }

  /** The artifact and a stream of its bytes. */
  async open(
    viewer: Viewer,
    versionId: number,
    artifactId: number,
  ): Promise<{ artifact: VersionArtifact; body: Readable }> {
    const row = await this.find(viewer, versionId, artifactId);
    return { artifact: present(row), body: createReadStream(this.resolve(row.storage_path)) };
  }

  async remove(viewer: Viewer, versionId: number, artifactId: number): Promise<void> {
    // P5 first: who may not delete learns nothing of which files exist.
    await this.versions.requireAdmin(viewer, versionId);
    const row = await this.find(viewer, versionId, artifactId);
    await new ArtifactsRepo(this.db).delete(row.id);
    await rm(this.resolve(row.storage_path), { force: true });
  }

  private async find(viewer: Viewer, versionId: number, artifactId: number): Promise<ArtifactRow> {
    const version = await this.versions.visible(viewer, versionId);
    const [row] = await new ArtifactsRepo(this.db).list(version.id, artifactId);
    if (!row) throw AppError.notFound();
    return row;
  }

  private resolve(relative: string): string {
    const absolute = path.resolve(this.root, relative);
    if (!absolute.startsWith(this.root + path.sep))
      throw new Error(`artifact path escapes the root: ${relative}`);
    return absolute;
  }
}

function present(row: ArtifactRow): VersionArtifact {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    size: row.size,
    sha256: row.sha256.toString('hex'),
    uploaded_by: row.uploaded_by,
    time: formatTimestamp(row.time) ?? '',
  };
}
