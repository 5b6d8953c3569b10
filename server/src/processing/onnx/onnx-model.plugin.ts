import { nonMaximumSuppression, type DecodedRegion, type ModelSpec, type ScoredBox } from '@tessera/shared';
import { proposalType } from '../detector/proposal-types.js';
import { searchRegion } from '../job-region.js';
import type { JobPlugin, PixelRegion, ProposalInput } from '../plugin-api.js';
import { runConcurrently } from '../run-tiles.js';
import { placeFinding, type Placed } from '../vision/placement.js';
import { tileGrid, type Tile } from '../vision/tiling.js';
import { onnxModelSettings } from './onnx-model.settings.js';
import { OnnxSession, type TileFindings } from './onnx-session.js';

/** An uploaded model as the plugin gets it. */
export interface StoredModel {
  readonly id: number;
  readonly name: string;
  readonly spec: ModelSpec;
  readonly bytes: Uint8Array;
}

/** Where the plugin gets models: only one the image's team owns (else it throws, naming why). */
export interface ModelSource {
  modelForImage(modelId: number, imageId: number): Promise<StoredModel>;
}

/** A found box or outline in level-0 pixels, with its vector. */
type Found = ScoredBox & Placed;

/** A tile's findings in level-0 pixels, keeping those the tile owns and that lie in its real pixels. */
function placeFindings(
  findings: TileFindings,
  tile: Tile,
  region: PixelRegion,
  scale: { x: number; y: number },
  valid: { width: number; height: number },
): Found[] {
  const items: readonly (ScoredBox | DecodedRegion)[] =
    findings.kind === 'boxes' ? findings.boxes : findings.regions;
  const found: Found[] = [];
  for (const item of items) {
    const cx = 'cx' in item ? item.cx : (item.x1 + item.x2) / 2;
    const cy = 'cy' in item ? item.cy : (item.y1 + item.y2) / 2;
    // Padding beyond the tile's pixels holds nothing real.
    if (cx >= valid.width || cy >= valid.height) continue;
    const clipped = {
      x1: Math.max(0, item.x1),
      y1: Math.max(0, item.y1),
      x2: Math.min(valid.width, item.x2),
      y2: Math.min(valid.height, item.y2),
      cx,
      cy,
      polygon: 'polygon' in item ? item.polygon : null,
    };
    const placed = placeFinding(clipped, tile, region, scale);
    if (placed)
      found.push({
        ...placed,
        score: item.score,
        ...(item.label === undefined ? {} : { label: item.label }),
      });
  }
  return found;
}

/** Proposals are written in batches of this many after the suppression across tiles. */
const WRITE_BATCH = 500;

/** The plugin that runs a team's uploaded ONNX model tile by tile over a region. */
export function onnxModelPlugin(models: ModelSource): JobPlugin {
  return {
    name: 'ONNX model',
    description:
      "Runs one of the team's uploaded ONNX models (processing/models/) tile by tile with overlap, " +
      'decodes boxes or per-pixel classes into outlines, and suppresses duplicates across tile borders.',
    settings: onnxModelSettings,
    async run(context) {
      const s = onnxModelSettings.parse(context.job.settings);
      const model = await models.modelForImage(s.model, context.image.id);
      const { spec } = model;
      const coreWidth = spec.inputWidth - 2 * s.overlap;
      const coreHeight = spec.inputHeight - 2 * s.overlap;
      if (coreWidth <= 0 || coreHeight <= 0) {
        throw new Error(
          `an overlap of ${s.overlap} px leaves nothing of the model's ${spec.inputWidth} x ${spec.inputHeight} input`,
        );
      }
      const region = searchRegion(context.image, s.region);
      const shape = spec.decoding.kind === 'boxes' ? 'box' : 'polygon';
      const annotationType = proposalType(context, shape, s.annotationType);
      const tiles = tileGrid(
        region,
        coreWidth * s.downsample,
        s.overlap * s.downsample,
        coreHeight * s.downsample,
      );
      const session = await OnnxSession.load(model.bytes, spec, s.threads);
      const found: Found[] = [];
      let done = 0;
      try {
        // onnxruntime runs one call at a time per session; one read ahead keeps it busy.
        await runConcurrently(tiles, 2, context.signal, async (tile) => {
          const pixels = await context.readPixels(tile.read, s.downsample);
          const findings = await session.run(pixels.data, pixels.width, pixels.height, s.minScore);
          const scale = { x: tile.read.width / pixels.width, y: tile.read.height / pixels.height };
          found.push(...placeFindings(findings, tile, region, scale, pixels));
          done++;
          await context.progress((0.9 * done) / tiles.length);
        });
      } finally {
        await session.release();
      }
      const kept = nonMaximumSuppression(found, s.maxIou);
      for (let i = 0; i < kept.length; i += WRITE_BATCH) {
        context.signal.throwIfAborted();
        const batch: ProposalInput[] = kept
          .slice(i, i + WRITE_BATCH)
          .map((f) => ({ annotationType, vector: f.vector, score: f.score }));
        await context.writeProposals(batch);
      }
      await context.progress(1);
      return { summary: `${kept.length} proposals from model "${model.name}" in ${tiles.length} tiles` };
    },
  };
}
