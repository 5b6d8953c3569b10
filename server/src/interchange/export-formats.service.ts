import type { TextExportFormat, TextExportFormatCreate } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../access/team-access.js';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { AppError } from '../errors/app-error.js';
import { uniqueField } from '../errors/pg-errors.js';
import { ExportFormatsRepo, exportFormatFilters } from './export-formats.repo.js';

const NAME_TAKEN = 'The team already has an export format with this name.';

/** EXACT's stored text export formats: team admins manage their team's; members use them. */
export class ExportFormatsService extends ResourceService<TextExportFormat> {
  readonly name = 'export_formats';
  readonly filters = exportFormatFilters;
  readonly relations = { team: 'teams', annotations_types: 'annotation_types' };

  constructor(private readonly db: Database) {
    super();
  }

  list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return new ExportFormatsRepo(this.db).list(viewer, filters, page);
  }

  async create(viewer: Viewer, input: TextExportFormatCreate): Promise<number> {
    await new TeamAccess(this.db).requireAdmin(viewer, input.team, () => invalidPk('team', input.team));
    return this.db.transaction(async (tx) => {
      const repo = new ExportFormatsRepo(tx);
      await checkTypes(repo, input.team, input.annotations_types);
      const id = await uniqueField('name', NAME_TAKEN, () => repo.insert(input));
      await repo.replaceTypes(id, input.annotations_types);
      return id;
    });
  }

  async update(viewer: Viewer, id: number, input: Partial<TextExportFormatCreate>): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, current.team);
    if (input.team !== undefined && input.team !== current.team) {
      throw AppError.invalidField('team', 'An export format stays with its team.');
    }
    await this.db.transaction(async (tx) => {
      const repo = new ExportFormatsRepo(tx);
      await uniqueField('name', NAME_TAKEN, () => repo.update(id, input));
      if (input.annotations_types) {
        await checkTypes(repo, current.team, input.annotations_types);
        await repo.replaceTypes(id, input.annotations_types);
      }
    });
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, current.team);
    await new ExportFormatsRepo(this.db).delete(id);
  }

  /** The format if the viewer may use it; 400 naming the parameter otherwise. */
  async usable(viewer: Viewer, id: number | undefined): Promise<TextExportFormat> {
    if (id === undefined)
      throw AppError.invalidField('export_format', 'format=exact needs export_format=<id>.');
    const format = await this.find(viewer, id);
    if (!format) throw invalidPk('export_format', id);
    return format;
  }
}

async function checkTypes(repo: ExportFormatsRepo, team: number, types: readonly number[]): Promise<void> {
  const known = new Set(await repo.typesOfTeam(team, types));
  const foreign = types.find((t) => !known.has(t));
  if (foreign !== undefined) {
    throw AppError.invalidField('annotations_types', `Annotation type ${foreign} is not one of the team's.`);
  }
}
