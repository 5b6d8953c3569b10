// The job file of an annotation map's mosaic: written by the server into the storage, read here. It is
// also the map's layout file (which annotation each cell shows), so its extra fields are kept as they are.
import { z } from 'zod';
import { storageRelativePath } from '../access/tile-token.js';

/** The job file format's version. */
export const MOSAIC_JOB_VERSION = 1;

/** Largest side of one cell in pixels, and the most cells and pixels a mosaic may have. */
export const MAX_CELL_SIZE = 512;
export const MAX_MOSAIC_CELLS = 10_000;
export const MAX_MOSAIC_PIXELS = 64_000_000;

const crop = z.object({
  col: z.number().int().nonnegative(),
  row: z.number().int().nonnegative(),
  /** The image (frame) file the crop is read from, relative to the storage root. */
  src: storageRelativePath,
  /** The crop's square in level-0 pixels of `src` (it may reach past the image: background there). */
  x: z.number().int(),
  y: z.number().int(),
  side: z.number().int().positive().max(1_000_000),
});

/** One cell of the mosaic. */
export type MosaicCrop = z.infer<typeof crop>;

/** A mosaic job: `columns` x `rows` cells of `cellSize` pixels, each filled with one crop. */
export const mosaicJob = z
  .object({
    v: z.literal(MOSAIC_JOB_VERSION),
    cellSize: z.number().int().min(16).max(MAX_CELL_SIZE),
    columns: z.number().int().positive(),
    rows: z.number().int().positive(),
    cells: z.array(crop).max(MAX_MOSAIC_CELLS),
  })
  .refine((job) => job.columns * job.rows <= MAX_MOSAIC_CELLS, { error: 'too many cells' })
  .refine((job) => job.columns * job.rows * job.cellSize ** 2 <= MAX_MOSAIC_PIXELS, {
    error: `the mosaic would have more than ${MAX_MOSAIC_PIXELS} pixels`,
  })
  .refine((job) => job.cells.every((cell) => cell.col < job.columns && cell.row < job.rows), {
    error: 'a cell lies outside the grid',
  });

/** A validated mosaic job. */
export type MosaicJob = z.infer<typeof mosaicJob>;
