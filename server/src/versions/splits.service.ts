import type { SplitCreate, VersionSplit } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import { uniqueField } from '../errors/pg-errors.js';
import { PARTS, splitByRatio, splitStratified, type Part } from './splits.js';
import { SplitsRepo, type SplitRow } from './splits.repo.js';
import type { VersionsService } from './versions.service.js';

/** Splits of a version's images: team members make and read them; once made, a split never changes. */
export class SplitsService {
  constructor(
    private readonly db: Database,
    private readonly versions: VersionsService,
  ) {}

  async list(viewer: Viewer, versionId: number): Promise<VersionSplit[]> {
    const version = await this.versions.visible(viewer, versionId);
    return (await new SplitsRepo(this.db).list(version.id)).map(present);
  }

  /** The images of one part of a split of a version (for exports); 400 if there is no such split. */
  async part(viewer: Viewer, versionId: number, splitId: number, part: Part): Promise<number[]> {
    const version = await this.versions.visible(viewer, versionId);
    const [split] = await new SplitsRepo(this.db).list(version.id, splitId);
    if (!split) throw AppError.invalidField('split', `Version ${versionId} has no split ${splitId}.`);
    return split[part];
  }

  async create(viewer: Viewer, versionId: number, input: SplitCreate): Promise<VersionSplit> {
    const version = await this.versions.visible(viewer, versionId);
    const images = new Set(version.images);
    const repo = new SplitsRepo(this.db);
    let parts: Map<number, Part>;
    if (input.method === 'manual') {
      parts = new Map();
      for (const part of PARTS) {
        for (const image of input[part]) {
          if (!images.has(image)) throw AppError.invalidField(part, `Image ${image} is not in this version.`);
          if (parts.has(image)) throw AppError.invalidField(part, `Image ${image} is in two parts.`);
          parts.set(image, part);
        }
      }
    } else if (input.method === 'ratio') {
      parts = splitByRatio(version.images, input.ratios, input.seed);
    } else {
      const counts = await repo.labelCounts(version.id);
      for (const image of version.images) if (!counts.has(image)) counts.set(image, new Map());
      parts = splitStratified(counts, input.ratios, input.seed);
    }
    const id = await uniqueField('name', 'The version already has a split with this name.', () =>
      this.db.transaction((tx) =>
        new SplitsRepo(tx).insert(
          version.id,
          {
            name: input.name,
            method: input.method,
            seed: input.method === 'manual' ? null : input.seed,
            ratios: input.method === 'manual' ? null : input.ratios,
            authorId: viewer.id,
          },
          parts,
        ),
      ),
    );
    const [created] = await repo.list(version.id, id);
    if (!created) throw new Error(`split ${id} vanished`);
    return present(created);
  }
}

function present(row: SplitRow): VersionSplit {
  return { ...row, time: formatTimestamp(row.time) ?? '' };
}
