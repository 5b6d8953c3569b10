// Builds an annotation map's mosaic: every crop of the job read from its slide at the level closest to
// the cell's scale, scaled to the cell, copied into one canvas, then converted like an upload (pyramidal
// TIFF plus tile pack), so the mosaic is served by the ordinary tile routes.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveInStorage } from '../access/storage-path.js';
import type { SourcePool } from '../cache/source-pool.js';
import { bestLevelForDownsample } from '../deepzoom/geometry.js';
import { TilerError, notFound } from '../errors/tiler-error.js';
import { convertToPyramid } from '../sources/convert.js';
import type { RgbImage } from '../sources/image-source.js';
import { Limiter } from '../sources/limiter.js';
import { resizeRgb, writeRgbTiff } from '../sources/raster.js';
import { cropFeatures } from './features.js';
import { mosaicJob, type MosaicCrop, type MosaicJob } from './mosaic-job.js';

/** Crops read at once: each is one region read plus a small resize. */
const PARALLEL_READS = 4;

/** What building (or only measuring) a mosaic answers: its size and each cell's features, in job order. */
export interface MosaicResult {
  readonly width: number;
  readonly height: number;
  readonly features: number[][];
}

/** Where the job file and the mosaic live, resolved inside the storage root. */
export interface MosaicPaths {
  readonly storageRoot: string;
  readonly job: string;
  /** Absent: only the features are computed, nothing is written. */
  readonly out?: string;
  readonly maxImagePixels: number;
}

/** Reads the job file, reads every crop, and (with `out`) writes the mosaic pyramid. */
export async function buildMosaic(pool: SourcePool, paths: MosaicPaths): Promise<MosaicResult> {
  const job = await readJob(paths.storageRoot, paths.job);
  const width = job.columns * job.cellSize;
  const height = job.rows * job.cellSize;
  const canvas = paths.out === undefined ? undefined : Buffer.alloc(width * height * 3, 255);
  const limiter = new Limiter(PARALLEL_READS);
  const features = await Promise.all(
    job.cells.map((cell) =>
      limiter.run(async () => {
        const image = await readCrop(pool, cell, job.cellSize);
        if (canvas) copyInto(canvas, width, image, cell.col * job.cellSize, cell.row * job.cellSize);
        return cropFeatures(image);
      }),
    ),
  );
  if (canvas && paths.out !== undefined) {
    await writePyramid({ width, height, data: canvas }, paths, paths.out);
  }
  return { width, height, features };
}

async function readJob(storageRoot: string, relative: string): Promise<MosaicJob> {
  const path = resolveInStorage(storageRoot, relative);
  if (path === null) throw notFound();
  const text = await readFile(path, 'utf8').catch(() => {
    throw notFound();
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TilerError('bad-request', 'the mosaic job is not JSON');
  }
  const parsed = mosaicJob.safeParse(json);
  if (!parsed.success) {
    throw new TilerError(
      'bad-request',
      `the mosaic job is invalid: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  return parsed.data;
}

/** One crop scaled to the cell: read at the source level nearest to (and not coarser than) the scale. */
async function readCrop(pool: SourcePool, cell: MosaicCrop, cellSize: number): Promise<RgbImage> {
  return pool.use(cell.src, async ({ source }) => {
    const level = bestLevelForDownsample(source.levels, cell.side / cellSize);
    const downsample = source.levels[level]?.downsample ?? 1;
    const side = Math.max(1, Math.ceil(cell.side / downsample));
    const region = await source.readRegion({ x: cell.x, y: cell.y, level, width: side, height: side });
    return resizeRgb(region, cellSize, cellSize);
  });
}

function copyInto(canvas: Buffer, canvasWidth: number, image: RgbImage, left: number, top: number): void {
  const rowBytes = image.width * 3;
  for (let y = 0; y < image.height; y++) {
    image.data.copy(canvas, ((top + y) * canvasWidth + left) * 3, y * rowBytes, (y + 1) * rowBytes);
  }
}

async function writePyramid(image: RgbImage, paths: MosaicPaths, out: string): Promise<void> {
  const output = resolveInStorage(paths.storageRoot, out);
  if (output === null) throw notFound();
  await mkdir(dirname(output), { recursive: true });
  const flat = `${output}.${randomBytes(6).toString('hex')}.flat.tiff`;
  try {
    await writeRgbTiff(image, flat);
    const converted = await convertToPyramid(flat, output, { maxPixels: paths.maxImagePixels });
    if (converted.status !== 'converted') throw new TilerError('unprocessable', converted.reason);
  } finally {
    await rm(flat, { force: true });
  }
}
