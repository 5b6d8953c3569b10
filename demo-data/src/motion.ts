import { placeCells, renderCell, type Cell } from './cells.js';
import { SMEAR_BACKGROUND, cellVector } from './labels.js';
import { mulberry32, seededUuid, subSeed } from './prng.js';
import { renderRgb } from './raster.js';

/** Most pixels a cell drifts per frame; cells start far enough from the border to stay inside. */
const MAX_STEP = 5;

/** One cell's box on one frame (the server's `DatasetAnnotation` takes it as it is). */
export interface MovingAnnotation {
  /** Index into the images: always 0, the frames make one image. */
  readonly image: number;
  readonly label: string;
  readonly vector: Record<string, number>;
  readonly uuid: string;
}

/** Frames of cells drifting over a still background, with each cell's box on each frame. */
export interface Moving {
  readonly frames: Buffer[];
  readonly annotations: MovingAnnotation[];
}

/**
 * Renders `frames` RGB frames of `count` cells that drift and turn a little from frame to frame (a
 * time-lapse of living cells). Annotations are per frame, numbered from 1 as Tessera's frames are.
 */
export async function movingCells(
  dataset: string,
  seed: number,
  o: { width: number; height: number; count: number; frames: number },
): Promise<Moving> {
  const random = mulberry32(subSeed(seed, 'cells'));
  const margin = MAX_STEP * o.frames + 4;
  const cells = placeCells(random, { width: o.width, height: o.height, count: o.count, margin });
  if (cells.length !== o.count) throw new Error(`placed ${cells.length} of ${o.count} cells`);
  const tracks = cells.map((cell) => ({
    cell,
    vx: random.between(-MAX_STEP, MAX_STEP),
    vy: random.between(-MAX_STEP, MAX_STEP),
    spin: random.between(-0.05, 0.05),
  }));
  const frames: Buffer[] = [];
  const annotations: MovingAnnotation[] = [];
  for (let t = 0; t < o.frames; t++) {
    const now = tracks.map((k): Cell => ({
      ...k.cell,
      cx: k.cell.cx + k.vx * t,
      cy: k.cell.cy + k.vy * t,
      angle: k.cell.angle + k.spin * t,
    }));
    frames.push(
      await renderRgb({
        width: o.width,
        height: o.height,
        background: SMEAR_BACKGROUND,
        // The same mottling on every frame: only the cells move.
        random: mulberry32(subSeed(seed, 'background')),
        sprites: now.map(renderCell),
      }),
    );
    now.forEach((cell, i) => {
      annotations.push({
        image: 0,
        label: cell.kind.label,
        vector: cellVector(cell, t + 1),
        uuid: seededUuid(dataset, seed, `frame-${t + 1}-cell-${i}`),
      });
    });
  }
  return { frames, annotations };
}
