import type { SetVersion, SetVersionCreate } from '@tessera/shared';
import { TeamAccess } from '../access/team-access.js';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';
import { captureDocuments, LayerWrites } from './capture-documents.js';
import { dropAbandonedParts, freezeRows } from './freeze.js';
import { VersionsRepo, versionFilters, type VersionRow } from './versions.repo.js';

/** Who makes a version: a person (checked against the image sets' team) or the server's snapshotter. */
export type VersionAuthor = Viewer | 'system';

/**
 * Dataset versions: team members read and make them; a version never changes once made (README.md).
 * Making one reads the documents and the projection in one REPEATABLE READ snapshot, so the frozen
 * rows and the document states describe the same moment of the database.
 */
export class VersionsService extends ResourceService<SetVersion> {
  readonly name = 'set_versions';
  readonly filters = versionFilters;
  readonly relations = { team: 'teams', author: 'users', imagesets: 'image_sets', images: 'images' };

  /** Creations in this process, one after another (see `create`). */
  private creating: Promise<unknown> = Promise.resolve();

  constructor(readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const result = await new VersionsRepo(this.db).list(viewer, filters, page);
    return { count: result.count, rows: result.rows.map(presentVersion) };
  }

  /** Freezes the image sets as a new version and answers its id. */
  async create(
    author: VersionAuthor,
    input: SetVersionCreate,
    options: { automatic?: boolean } = {},
  ): Promise<number> {
    const setIds = [...new Set(input.imagesets)].sort((a, b) => a - b);
    const teamId = await this.teamOf(author, setIds);
    // Creations are serialised by a table lock anyway; queueing them here as well keeps waiting ones
    // from holding pool connections, which the running one needs two of.
    const run = this.creating.then(() => this.createNow(author, input, setIds, teamId, options));
    this.creating = run.catch(() => undefined);
    return run;
  }

  private async createNow(
    author: VersionAuthor,
    input: SetVersionCreate,
    setIds: readonly number[],
    teamId: number,
    options: { automatic?: boolean },
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const repo = new VersionsRepo(tx);
      await repo.lockCreation();
      // Before this transaction's snapshot is taken (the lock takes none), so it never sees them.
      await dropAbandonedParts(this.db);
      const sets = await repo.imageSets(setIds);
      if (sets.length !== setIds.length)
        throw AppError.invalidField('imagesets', 'An image set was deleted.');
      const id = await repo.insert({
        name: input.name,
        description: input.description,
        teamId,
        authorId: author === 'system' ? null : author.id,
        automatic: options.automatic ?? false,
        imageSets: setIds,
      });
      const documents = await repo.documentsOf(id);
      // The documents are captured (JavaScript work) on a second connection that shares this
      // transaction's snapshot, while PostgreSQL freezes the rows (freeze.ts): all see one moment.
      const snapshot = await repo.exportSnapshot();
      const names = documents.map((d) => d.document);
      // The layers are written by this transaction as documents are captured (the freeze runs on
      // helper connections), not all at the end.
      const layers = new LayerWrites(repo);
      const [captures] = await Promise.all([
        this.db.withConnection((conn) =>
          captureDocuments(conn, snapshot, documents, (b) => {
            layers.add(b);
          }),
        ),
        freezeRows(this.db, tx, snapshot, id, names),
      ]);
      await layers.done();
      await repo.insertDocuments(id, captures);
      return id;
    });
  }

  /** The version if the viewer may see it; 404 otherwise. */
  async visible(viewer: Viewer, id: number): Promise<SetVersion> {
    const version = await this.find(viewer, id);
    if (!version) throw AppError.notFound();
    return version;
  }

  /** Deletes a version (its frozen rows stay for the versions that share them). */
  async remove(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const repo = new VersionsRepo(tx);
      if (await repo.hasArtifacts(id)) {
        throw AppError.conflict('The version has attached files: delete them first.');
      }
      await repo.lockCreation();
      await repo.delete(id);
    });
  }

  /** Demands that the viewer administers the version's team (deleting, restoring, artifacts). */
  async requireAdmin(viewer: Viewer, id: number): Promise<SetVersion> {
    const version = await this.visible(viewer, id);
    await new TeamAccess(this.db).requireAdmin(viewer, version.team);
    return version;
  }

  /** The one team of the image sets; a person must be a member of it and see every set. */
  private async teamOf(author: VersionAuthor, setIds: readonly number[]): Promise<number> {
    const teams = new Set<number>();
    for (const setId of setIds) {
      if (author === 'system') {
        const team = await new ImageSetsRepo(this.db).teamOf(setId);
        if (team === undefined)
          throw AppError.invalidField('imagesets', `Image set ${setId} does not exist.`);
        teams.add(team);
        continue;
      }
      const visible = await new ImageSetsRepo(this.db).list(author, [
        { name: 'id', lookup: 'exact', value: setId },
      ]);
      const set = visible.rows[0];
      if (!set) throw AppError.invalidField('imagesets', `Invalid pk "${setId}" - object does not exist.`);
      teams.add(set.team);
    }
    if (teams.size !== 1) {
      throw AppError.invalidField('imagesets', 'All image sets of a version must belong to one team.');
    }
    const team = [...teams][0] as number;
    if (author !== 'system') {
      await new TeamAccess(this.db).requireMember(author, team, () =>
        AppError.forbidden('Only members of the team may make versions of its image sets.'),
      );
      if (await new VersionsRepo(this.db).anyBlind(setIds)) {
        await new TeamAccess(this.db).requireAdmin(author, team);
      }
    }
    return team;
  }
}

function presentVersion(row: VersionRow): SetVersion {
  return { ...row, time: formatTimestamp(row.time) ?? '' };
}
