import { randomUUID } from 'node:crypto';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { TilerClient } from '../ingest/tiler.client.js';
import type { AnnotationsService } from '../resources/annotations/annotations.service.js';
import type { ImagesService } from '../resources/images/images.service.js';
import type { PixelRegion, PluginAnnotation, PluginJobContext, ProposalInput } from './plugin-api.js';
import { readPixels, type PixelSource } from './pixel-reader.js';
import { PluginJobsRepo } from './plugin-jobs.repo.js';
import { PluginResultsRepo } from './plugin-results.repo.js';

/** The most proposals one call may write; a detector writes tile by tile. */
const MAX_PROPOSALS = 50_000;
/** The entry a host plugin's proposals are listed under in EXACT's result tables. */
const PROPOSALS_ENTRY = 'proposals';

/** What the host lends a job context: reads as the job's creator, the write path, progress. */
export interface ContextDeps {
  readonly db: Database;
  readonly tiler: TilerClient;
  readonly images: ImagesService;
  readonly annotations: AnnotationsService;
  /** Writes stored proposals into the live documents; absent in a worker process (the server does it). */
  readonly writeStored?: () => Promise<number>;
  readonly onProgress: (fraction: number) => Promise<void>;
}

/** A job as its context needs it. */
export interface ContextJob {
  readonly id: number;
  readonly imageId: number;
  readonly settings: unknown;
}

/** The annotations of an image the viewer sees (their own copy in blind sets), optionally in a region. */
export async function visibleAnnotations(
  annotations: AnnotationsService,
  viewer: Viewer,
  imageId: number,
  region?: PixelRegion,
): Promise<PluginAnnotation[]> {
  const filters = [
    { name: 'image', lookup: 'exact' as const, value: imageId },
    { name: 'deleted', lookup: 'exact' as const, value: false },
    ...(region
      ? [
          { name: 'vector_x_min', lookup: 'exact' as const, value: region.x },
          { name: 'vector_x_max', lookup: 'exact' as const, value: region.x + region.width },
          { name: 'vector_y_min', lookup: 'exact' as const, value: region.y },
          { name: 'vector_y_max', lookup: 'exact' as const, value: region.y + region.height },
        ]
      : []),
  ];
  const { rows } = await annotations.list(viewer, filters);
  return rows.map((a) => ({
    id: a.id,
    annotationType: a.annotation_type,
    vector: a.vector ?? {},
    generated: a.generated,
    score: a.score,
  }));
}

/** The pixel source of an image the viewer sees (404 otherwise, 409 while it is processing). */
export async function pixelSourceOf(
  db: Database,
  images: ImagesService,
  viewer: Viewer,
  imageId: number,
): Promise<PixelSource> {
  const { src } = await images.pixelSource(viewer, imageId);
  return { imageId, src, levels: await new PluginJobsRepo(db).levelsOf(imageId) };
}

/** The annotation types a plugin may write on an image: the active types of its set's products. */
export async function typesOfImage(db: Database, imageId: number) {
  const rows = await new PluginJobsRepo(db).typesOfImage(imageId);
  return rows.map((t) => Object.freeze({ id: t.id, name: t.name, vectorType: t.vector_type }));
}

/** Builds the one object a job plugin receives (plugin-api.ts): never the database handle. */
export async function createJobContext(
  deps: ContextDeps,
  job: ContextJob,
  creator: Viewer,
  signal: AbortSignal,
): Promise<PluginJobContext> {
  // Looked up at the first read: a plugin that reads only annotations runs on an image still processing.
  let source: Promise<PixelSource> | undefined;
  const image = await deps.images.find(creator, job.imageId);
  if (!image) throw AppError.notFound();
  const annotationTypes = await typesOfImage(deps.db, job.imageId);
  const allowed = new Set(annotationTypes.map((t) => t.id));
  return Object.freeze({
    job: Object.freeze({ id: job.id, imageId: job.imageId, settings: job.settings }),
    image: Object.freeze({
      id: image.id,
      width: image.width,
      height: image.height,
      mpp: image.mpp > 0 ? image.mpp : null,
      objectivePower: image.objectivePower > 0 ? image.objectivePower : null,
    }),
    annotationTypes: Object.freeze(annotationTypes),
    readPixels: async (region: PixelRegion, downsample?: number) =>
      readPixels(
        deps.tiler,
        await (source ??= pixelSourceOf(deps.db, deps.images, creator, job.imageId)),
        region,
        downsample,
      ),
    listAnnotations: (region?: PixelRegion) =>
      visibleAnnotations(deps.annotations, creator, job.imageId, region),
    async writeProposals(proposals: readonly ProposalInput[]) {
      checkProposals(proposals, allowed);
      const results = new PluginResultsRepo(deps.db);
      const entry = await results.ensureEntry(await results.ensureResult(job.id), PROPOSALS_ENTRY);
      await results.insertAnnotations(
        entry,
        proposals.map((p) => ({
          type: p.annotationType,
          vector: p.vector,
          score: p.score,
          uuid: randomUUID(),
        })),
      );
      await deps.writeStored?.();
    },
    progress: (fraction: number) => {
      if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1)
        return Promise.reject(AppError.badRequest('progress is a fraction from 0 to 1.'));
      return deps.onProgress(fraction);
    },
    signal,
  });
}

/** Refuses proposals the job may not write: types outside the image's set, scores outside 0..1. */
function checkProposals(proposals: readonly ProposalInput[], allowed: ReadonlySet<number>): void {
  if (proposals.length > MAX_PROPOSALS)
    throw AppError.badRequest(`Write at most ${MAX_PROPOSALS} proposals at once.`);
  for (const [index, p] of proposals.entries()) {
    if (!allowed.has(p.annotationType))
      throw AppError.badRequest(
        `Proposal ${index}: annotation type ${p.annotationType} is not one of this image's types.`,
      );
    if (!Number.isFinite(p.score) || p.score < 0 || p.score > 1)
      throw AppError.badRequest(`Proposal ${index}: the score is a number from 0 to 1.`);
    if (!Object.values(p.vector).every(Number.isFinite))
      throw AppError.badRequest(`Proposal ${index}: the vector holds numbers only.`);
  }
}
