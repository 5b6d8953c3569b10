import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, DatasetImport, DatasetInstance, DatasetInstantiate } from '@tessera/shared';
import { datasetImportFields } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../access/team-access.js';
import { DRF_MESSAGES, zodFieldErrors } from '../api/endpoint.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { MultipartUpload } from '../ingest/multipart.js';
import type { TilerClient } from '../ingest/tiler.client.js';
import { expandZip } from '../ingest/zip.js';
import type { Logger } from '../logging/logger.js';
import { CATALOGUE, findDataset } from './catalogue.js';
import type { DatasetContent, DatasetDefinition } from './dataset.js';
import { DatasetSetup, type SetupDeps } from './dataset-setup.js';
import { FolderFormatError, readFolder } from './folder-import.js';

export interface DatasetsDeps extends SetupDeps {
  readonly db: Database;
  readonly logger: Logger;
  /** Tells which optional system packages the tiler lacks (a data set needing one is unavailable). */
  readonly tiler: Pick<TilerClient, 'missingLibraries'>;
}

/**
 * Predefined data sets: the catalogue and setting one up in a team. A setup goes through the same
 * services as a person would (image set, product, annotation types, the upload path with its job
 * queue and tiler, annotations through the live documents), with the caller's rights.
 */
export class DatasetsService {
  // Setups run one after another: generating a slide keeps every core busy for seconds.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: DatasetsDeps) {}

  /** Every data set with its description and availability here. */
  async catalogue(): Promise<Dataset[]> {
    return Promise.all(CATALOGUE.map(async (d) => describe(d, await this.unavailableReason(d.name))));
  }

  /** One data set's description page; 404 for a name the catalogue lacks. */
  async describe(name: string): Promise<Dataset> {
    return describe(known(name), await this.unavailableReason(name));
  }

  /** Why a data set cannot be set up here (its files, or a system package the tiler lacks), or null. */
  async unavailableReason(name: string): Promise<string | null> {
    const definition = known(name);
    const reason = await definition.unavailableReason();
    if (reason !== null) return reason;
    const missing = await this.deps.tiler.missingLibraries();
    const lacking = (definition.needs ?? []).filter((library) => missing.includes(library));
    if (lacking.length === 0) return null;
    const names = lacking.map((library) =>
      library === 'openslide' ? 'OpenSlide (libopenslide0)' : 'ffmpeg',
    );
    return `its images need ${names.join(' and ')}, which the tiler's machine does not have.`;
  }

  /**
   * Sets a data set up in a team (team admins and superusers): a new image set named after it, its
   * product and annotation types, its images (processing until the tiler has opened them) and
   * annotations. A data set whose files or tools are missing here is refused with the reason (409).
   * `signal` cancels it (the server's shutdown): what was made so far is removed.
   */
  async instantiate(
    viewer: Viewer,
    name: string,
    input: DatasetInstantiate,
    signal?: AbortSignal,
  ): Promise<DatasetInstance> {
    const definition = known(name);
    await new TeamAccess(this.deps.db).requireAdmin(viewer, input.team, () => invalidPk('team', input.team));
    const reason = await this.unavailableReason(name);
    if (reason !== null) throw AppError.conflict(`The data set "${name}" is not available here: ${reason}`);
    return this.queued(() => this.setup(viewer, definition, input, signal));
  }

  /**
   * Makes an image set from an archive (a zip of a folder): its images through the upload path, its
   * COCO, GeoJSON or EXACT label files as annotations of the types their labels name. A malformed
   * label file refuses the archive (400 naming the file and line); items that match no image are
   * skipped and reported.
   */
  async importArchive(viewer: Viewer, upload: MultipartUpload): Promise<DatasetImport> {
    try {
      const fields = datasetImportFields.safeParse(upload.fields, DRF_MESSAGES);
      if (!fields.success) throw AppError.invalid(zodFieldErrors(fields.error));
      const { team, name } = fields.data;
      await new TeamAccess(this.deps.db).requireAdmin(viewer, team, () => invalidPk('team', team));
      const archive = upload.files[0];
      if (upload.files.length !== 1 || !archive?.originalName.toLowerCase().endsWith('.zip'))
        throw AppError.invalidField('file', 'Send one zip archive of images and label files.');
      const expanded = await expandZip(archive.staged.file, this.deps.storage.stagingDir, {
        maxTotalBytes: this.deps.maxUploadBytes,
        maxEntries: 10_000,
        maxRatio: 1000,
      });
      try {
        if (expanded.kind === 'slide')
          throw AppError.invalidField('file', 'The archive is one multi-file slide: upload it as an image.');
        const folder = await readFolder(
          expanded.files.map((f) => ({ name: f.name, file: f.staged.file })),
        ).catch((error: unknown) => {
          if (error instanceof FolderFormatError) throw AppError.invalidField('file', error.message);
          throw error;
        });
        if (folder.content.images.length === 0)
          throw AppError.invalidField('file', 'The archive holds no image Tessera can read.');
        const title = name ?? archive.originalName.replace(/\.zip$/i, '');
        const made = await this.queued(() =>
          new DatasetSetup(this.deps).run(viewer, {
            team,
            title,
            description: `Imported from ${archive.originalName}.`,
            productDescription: `Labels found in ${archive.originalName}.`,
            labels: folder.labels,
            content: folder.content,
          }),
        );
        return { ...made, skipped: folder.skipped };
      } finally {
        await this.deps.storage.discardDir(expanded.dir);
      }
    } finally {
      await Promise.all(upload.files.map((f) => this.deps.storage.discard(f.staged)));
    }
  }

  private queued<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async setup(
    viewer: Viewer,
    definition: DatasetDefinition,
    input: DatasetInstantiate,
    signal: AbortSignal | undefined,
  ): Promise<DatasetInstance> {
    signal?.throwIfAborted();
    const started = performance.now();
    const workDir = path.join(this.deps.storage.stagingDir, `dataset-${randomUUID()}`);
    await mkdir(workDir, { recursive: true });
    try {
      const content = await definition.create(workDir, input.seed);
      const generated = performance.now();
      checkContent(definition, content);
      const made = await new DatasetSetup(this.deps).run(
        viewer,
        {
          team: input.team,
          title: input.name ?? definition.title,
          description: pageOf(definition),
          productDescription: `Label scheme of the data set "${definition.name}".`,
          labels: definition.labels,
          content,
        },
        signal,
      );
      this.deps.logger.info(
        {
          dataset: definition.name,
          imageSet: made.image_set,
          generateMs: Math.round(generated - started),
          totalMs: Math.round(performance.now() - started),
        },
        'data set set up',
      );
      return { dataset: definition.name, seed: input.seed, ...made };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

function known(name: string): DatasetDefinition {
  const definition = findDataset(name);
  if (!definition) throw AppError.notFound();
  return definition;
}

function describe(d: DatasetDefinition, reason: string | null): Dataset {
  return {
    name: d.name,
    title: d.title,
    summary: d.summary,
    description: d.description,
    source: d.source,
    licence: d.licence,
    kind: d.kind,
    image_count: d.imageCount,
    annotation_count: d.annotationCount,
    labels: d.labels.map((l) => ({ name: l.name, vector_type: l.vectorType, color_code: l.color })),
    available: reason === null,
    unavailable_reason: reason,
  };
}

/** The image set's description: the data set's page in short, with its source and licence. */
function pageOf(d: DatasetDefinition): string {
  return `${d.summary}\n\n${d.description}\n\nSource: ${d.source}\nLicence: ${d.licence}`;
}

// A data set's content is code, not input: a mismatch with its own description is a bug, said loudly.
function checkContent(d: DatasetDefinition, content: DatasetContent): void {
  const labels = new Set(d.labels.map((l) => l.name));
  if (content.images.length !== d.imageCount)
    throw new Error(`${d.name} made ${content.images.length} images, its page says ${d.imageCount}`);
  if (content.annotations.length !== d.annotationCount)
    throw new Error(
      `${d.name} made ${content.annotations.length} annotations, its page says ${d.annotationCount}`,
    );
  for (const a of content.annotations) {
    if (!labels.has(a.label))
      throw new Error(`${d.name}: annotation label "${a.label}" is not in its scheme`);
    if (a.image < 0 || a.image >= content.images.length)
      throw new Error(`${d.name}: bad image index ${a.image}`);
  }
}
