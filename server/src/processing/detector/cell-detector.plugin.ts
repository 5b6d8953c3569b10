import { searchRegion } from '../job-region.js';
import type { JobPlugin, PixelRegion, PluginJobContext, ProposalInput } from '../plugin-api.js';
import { runConcurrently } from '../run-tiles.js';
import { otsuThreshold, triangleThreshold } from '../vision/thresholds.js';
import { placeFinding } from '../vision/placement.js';
import { tileGrid, type Tile } from '../vision/tiling.js';
import { cellDetectorSettings, type CellDetectorSettings } from './cell-detector.settings.js';
import { densityOf, type DensityChannel, type DetectOptions, type Detection } from './detect-objects.js';
import { DetectorPool } from './detector-pool.js';
import { proposalType } from './proposal-types.js';

/** The longest side of the overview that Otsu's threshold is computed on. */
const OVERVIEW_SIDE = 2048;

/** The density channel of a detector mode. */
function channelOf(s: CellDetectorSettings): DensityChannel {
  return s.mode === 'nuclei' ? 'haematoxylin' : 'colour';
}

/** One threshold for the whole region (a tile of background alone would otherwise split its noise). */
async function regionThreshold(
  context: PluginJobContext,
  region: PixelRegion,
  s: CellDetectorSettings,
): Promise<number> {
  if (s.threshold !== undefined) return s.threshold;
  const scale = Math.max(s.downsample, Math.ceil(Math.max(region.width, region.height) / OVERVIEW_SIDE));
  const overview = await context.readPixels(region, scale);
  const values = densityOf(overview.data, overview.width * overview.height, channelOf(s));
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const cut = otsuThreshold(values, 0, max);
  const floor = s.minThreshold ?? (s.mode === 'cells' ? 0.04 : 0.15);
  // On a smear Otsu's cut parts dark nuclei from everything else; whole cells need the cut between
  // the background's peak and the pale cytoplasm below it, which the triangle method finds.
  return Math.max(floor, s.mode === 'cells' ? triangleThreshold(values, 0, cut) : cut);
}

/** A tile's detections in level-0 pixels as proposals, keeping only those the tile owns. */
function tileProposals(
  found: readonly Detection[],
  tile: Tile,
  region: PixelRegion,
  scale: { x: number; y: number },
  annotationType: number,
): ProposalInput[] {
  const proposals: ProposalInput[] = [];
  for (const d of found) {
    const placed = placeFinding(d, tile, region, scale);
    if (placed) proposals.push({ annotationType, vector: placed.vector, score: d.score });
  }
  return proposals;
}

/** Finds stained cells or nuclei without model weights: threshold, opening, components, size filter. */
export const cellDetectorPlugin: JobPlugin = {
  name: 'Cell detector',
  description:
    'Finds cells (all stain) or nuclei (haematoxylin by colour deconvolution) by an Otsu threshold, ' +
    'an opening and connected components, tile by tile with overlap on worker threads; proposes a ' +
    'box or outline per object with its contrast as the score.',
  settings: cellDetectorSettings,
  async run(context) {
    const s = cellDetectorSettings.parse(context.job.settings);
    const region = searchRegion(context.image, s.region);
    const annotationType = proposalType(context, s.output, s.annotationType);
    const threshold = await regionThreshold(context, region, s);
    const options: DetectOptions = {
      channel: channelOf(s),
      threshold,
      openingRadius: s.openingRadius,
      minArea: s.minArea / s.downsample ** 2,
      maxArea: s.maxArea / s.downsample ** 2,
      polygons: s.output === 'polygon',
      simplifyTolerance: 0.75,
    };
    const tiles = tileGrid(region, s.tileSize, s.overlap);
    const pool = new DetectorPool(s.workers);
    let done = 0;
    let proposed = 0;
    try {
      // Two tiles per thread in hand: one being detected while the next one's pixels are read.
      await runConcurrently(tiles, 2 * s.workers, context.signal, async (tile) => {
        const pixels = await context.readPixels(tile.read, s.downsample);
        const scale = { x: tile.read.width / pixels.width, y: tile.read.height / pixels.height };
        const found = await pool.detect(pixels.data, pixels.width, pixels.height, options);
        const proposals = tileProposals(found, tile, region, scale, annotationType);
        if (proposals.length > 0) await context.writeProposals(proposals);
        proposed += proposals.length;
        done++;
        await context.progress(done / tiles.length);
      });
    } finally {
      await pool.close();
    }
    return {
      summary: `${proposed} ${s.mode} proposed in ${tiles.length} tiles (optical density threshold ${threshold.toFixed(3)})`,
    };
  },
};
