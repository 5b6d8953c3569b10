import {
  CELL_CLASSES,
  SMEAR_BACKGROUND,
  cellBox,
  mulberry32,
  placeCells,
  renderCell,
  renderRgb,
  subSeed,
} from '@tessera/demo-data';
import { boxIou } from '@tessera/shared';
import type { PixelRegion, PluginJobContext, ProposalInput, RgbPixels } from '../plugin-api.js';

/** Packed RGB pixels of a whole image held in memory. */
export interface Raster {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** A region of a raster, scaled down by area averaging (what a tiler's region read answers). */
export function readRegion(raster: Raster, region: PixelRegion, downsample = 1): RgbPixels {
  const width = Math.max(1, Math.round(region.width / downsample));
  const height = Math.max(1, Math.round(region.height / downsample));
  const data = new Uint8Array(width * height * 3);
  const sx = region.width / width;
  const sy = region.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = region.y + Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, region.y + Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = region.x + Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, region.x + Math.floor((x + 1) * sx));
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) {
          for (let xx = x0; xx < x1; xx++) sum += raster.data[(yy * raster.width + xx) * 3 + k] ?? 0;
        }
        data[(y * width + x) * 3 + k] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { data, width, height, channels: 3 };
}

/** A box of level-0 pixels. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * A cytology slide from the demo's generator (the cytology data sets' smear: same classes, density
 * and background), painted by sharp into memory, with every cell's box.
 */
export async function generatedSmear(
  seed: number,
  width: number,
  height: number,
): Promise<{ raster: Raster; cells: Box[] }> {
  // The demo slide's density: 3,000 cells on 16,384 x 8,192 px.
  const count = Math.round((3000 * width * height) / (16_384 * 8192));
  const cells = placeCells(mulberry32(subSeed(seed, 'cells')), {
    width,
    height,
    count,
    classes: CELL_CLASSES,
  });
  const data = await renderRgb({
    width,
    height,
    background: SMEAR_BACKGROUND,
    random: mulberry32(subSeed(seed, 'background')),
    sprites: cells.map(renderCell),
  });
  return { raster: { data: new Uint8Array(data), width, height }, cells: cells.map(cellBox) };
}

/** A job context over an in-memory raster that records what the plugin writes and reports. */
export function rasterContext(
  raster: Raster,
  settings: unknown,
  annotationTypes: PluginJobContext['annotationTypes'] = [
    { id: 11, name: 'Cell', vectorType: 1 },
    { id: 12, name: 'Cell outline', vectorType: 5 },
  ],
): PluginJobContext & { proposals: ProposalInput[]; fractions: number[]; writes: number; abort(): void } {
  const controller = new AbortController();
  const proposals: ProposalInput[] = [];
  const fractions: number[] = [];
  const context = {
    job: { id: 1, imageId: 1, settings },
    image: { id: 1, width: raster.width, height: raster.height, mpp: 0.25, objectivePower: 40 },
    annotationTypes,
    readPixels: (region: PixelRegion, downsample?: number) =>
      Promise.resolve(readRegion(raster, region, downsample)),
    listAnnotations: () => Promise.resolve([]),
    writeProposals: (batch: readonly ProposalInput[]) => {
      proposals.push(...batch);
      context.writes++;
      return Promise.resolve();
    },
    progress: (fraction: number) => {
      fractions.push(fraction);
      return Promise.resolve();
    },
    signal: controller.signal,
    proposals,
    fractions,
    writes: 0,
    abort: () => {
      controller.abort();
    },
  };
  return context;
}

/** Recall and precision of found boxes against true ones, matched one to one at IoU >= `minIou`. */
export function matchBoxes(
  truth: readonly Box[],
  found: readonly Box[],
  minIou: number,
): { recall: number; precision: number } {
  const used = new Set<number>();
  let matched = 0;
  for (const t of truth) {
    let best = -1;
    let bestIou = minIou;
    found.forEach((f, i) => {
      if (used.has(i)) return;
      const overlap = boxIou(t, f);
      if (overlap >= bestIou) {
        best = i;
        bestIou = overlap;
      }
    });
    if (best >= 0) {
      used.add(best);
      matched++;
    }
  }
  return { recall: matched / truth.length, precision: found.length === 0 ? 0 : matched / found.length };
}
