import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SetVersion, SetVersionCreate } from '@tessera/shared';
import { TeamAccess } from '../access/team-access.js';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database, Queryable } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';
import { captureDocument, coverageOf, type DocumentCapture, type StoredDocument } from './capture.js';
import { dropAbandonedParts, freezeRows } from './freeze.js';
import { VersionsRepo, versionFilters, type VersionRow } from './versions.repo.js';
import { YjsWorkers, type YjsOps } from './yjs-workers.js';

const compress = promisify(gzip);

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
      const [captures] = await Promise.all([
        this.db.withConnection((conn) => captureDocuments(conn, snapshot, documents)),
        freezeRows(this.db, tx, snapshot, id, names),
      ]);
      await repo.insertBlobs(captures.flatMap((c) => c.blobs));
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

interface CapturedDocument {
  readonly document: string;
  readonly imageId: number;
  readonly capture: DocumentCapture;
  readonly blobs: { hash: Buffer; data: Buffer; rawBytes: number }[];
}

/**
 * Captures the documents as the exported snapshot shows them: unchanged ones reuse their previous
 * layers, changed ones add a delta (README.md). Documents are read one after another on this
 * connection, one read ahead, while the ones read are decoded on worker threads (one per core) and
 * compressed on libuv's threads, a few at a time so memory stays bounded.
 */
async function captureDocuments(
  conn: Queryable,
  snapshot: string,
  documents: readonly { document: string; image_id: number }[],
): Promise<CapturedDocument[]> {
  if (documents.length === 0) return [];
  await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const workers = new YjsWorkers(Math.min(availableParallelism(), documents.length, MAX_WORKERS));
  try {
    await conn.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/[^0-9A-F-]/gi, '')}'`);
    const repo = new VersionsRepo(conn);
    const priors = await repo.priorCaptures(documents.map((d) => d.document));
    const read = (index: number) => {
      const name = documents[index]?.document ?? '';
      const reading = repo.stored(name, coverageOf(priors.get(name)));
      // Awaited in turn below, or left when a capture failed: never an unhandled rejection.
      reading.catch(() => undefined);
      return reading;
    };
    const captured: CapturedDocument[] = [];
    const running = new Set<Promise<void>>();
    // Tasks never reject (the first failure is kept and thrown below), so none goes unhandled while
    // this loop waits on the database.
    let failure: { error: unknown } | undefined;
    // One read ahead: PostgreSQL encodes the next document's bytes while this process decodes and
    // cuts the current one (the cut runs on this thread and would otherwise leave it idle).
    let next = read(0);
    for (const [index, { document, image_id }] of documents.entries()) {
      if (failure) break;
      const stored = await next;
      if (index + 1 < documents.length) next = read(index + 1);
      const prior = priors.get(document);
      const task = captureOne(document, image_id, stored, prior, workers).then(
        (c) => {
          captured[index] = c;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      running.add(task);
      void task.then(() => running.delete(task));
      if (running.size > workers.size) await Promise.race(running);
    }
    await Promise.all(running);
    if (failure) throw failure.error;
    return captured;
  } finally {
    await workers.close();
    await conn.query('ROLLBACK');
  }
}

/** At most this many worker threads per version being made. */
const MAX_WORKERS = 4;

async function captureOne(
  document: string,
  imageId: number,
  stored: StoredDocument,
  prior: DocumentCapture | undefined,
  ops: YjsOps,
): Promise<CapturedDocument> {
  const capture = await captureDocument(stored, prior, ops);
  const blobs = await Promise.all(
    capture.added.map(async (layer) => ({
      hash: layer.hash,
      data: await compress(layer.update, { level: 1 }),
      rawBytes: layer.update.byteLength,
    })),
  );
  return { document, imageId, capture: { ...capture, added: [] } as DocumentCapture, blobs };
}

function presentVersion(row: VersionRow): SetVersion {
  return { ...row, time: formatTimestamp(row.time) ?? '' };
}
