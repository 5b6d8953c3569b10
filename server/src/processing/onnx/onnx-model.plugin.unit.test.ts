import { modelSpecSchema } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { darkBlobSegmenter, darkCellBoxer } from '../../../../test/support/onnx-model.js';
import { rasterContext, type Box, type Raster } from '../testing/raster-context.test-helpers.js';
import { onnxModelPlugin, type ModelSource } from './onnx-model.plugin.js';

/** A white raster with dark squares. */
function squares(width: number, height: number, boxes: readonly Box[]): Raster {
  const data = new Uint8Array(width * height * 3).fill(240);
  for (const b of boxes) {
    for (let y = b.y1; y < b.y2; y++) data.fill(40, (y * width + b.x1) * 3, (y * width + b.x2) * 3);
  }
  return { data, width, height };
}

function source(bytes: Uint8Array, spec: unknown): ModelSource {
  return {
    modelForImage: (modelId, imageId) => {
      if (modelId !== 5 || imageId !== 1)
        return Promise.reject(new Error(`model ${modelId} is not this team's`));
      return Promise.resolve({ id: 5, name: 'tiny', spec: modelSpecSchema.parse(spec), bytes });
    },
  };
}

const boxesOf = (vectors: Record<string, number>[]) =>
  vectors.map((v) => {
    const xs = Object.keys(v)
      .filter((k) => k.startsWith('x'))
      .map((k) => v[k] ?? 0);
    const ys = Object.keys(v)
      .filter((k) => k.startsWith('y'))
      .map((k) => v[k] ?? 0);
    return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
  });

const byPosition = (a: Box, b: Box) => a.y1 - b.y1 || a.x1 - b.x1;

describe('ONNX model plugin', () => {
  // Aligned to the box model's 16-pixel cells; the second and third straddle tile borders (cores of 96 px).
  const truth: Box[] = [
    { x1: 32, y1: 32, x2: 48, y2: 48 },
    { x1: 80, y1: 160, x2: 96, y2: 176 },
    { x1: 176, y1: 80, x2: 192, y2: 96 },
    { x1: 272, y1: 224, x2: 288, y2: 240 },
  ];
  const raster = squares(320, 256, truth);

  it('outlines the regions of a segmentation model made in the test, once across tile borders', async () => {
    const plugin = onnxModelPlugin(
      source(darkBlobSegmenter(128), {
        inputWidth: 128,
        inputHeight: 128,
        decoding: { kind: 'segmentation' },
      }),
    );
    const context = rasterContext(raster, { model: 5, overlap: 16 });
    const { summary } = await plugin.run(context);
    expect(summary).toBe('4 proposals from model "tiny" in 12 tiles');
    expect(context.proposals.every((p) => p.annotationType === 12 && p.score > 0.99)).toBe(true);
    expect(boxesOf(context.proposals.map((p) => p.vector)).sort(byPosition)).toEqual(
      [...truth].sort(byPosition),
    );
    expect(context.fractions.at(-1)).toBe(1);
  });

  it('reads the boxes of a detection model and suppresses duplicates across tiles', async () => {
    const plugin = onnxModelPlugin(
      source(darkCellBoxer(128, 16), { inputWidth: 128, inputHeight: 128, decoding: { kind: 'boxes' } }),
    );
    const context = rasterContext(raster, { model: 5, overlap: 16, minScore: 0.6 });
    await plugin.run(context);
    expect(context.proposals.map((p) => p.vector).sort(byPosition as never)).toEqual(
      [...truth].sort(byPosition),
    );
    // Darkness of a square: 1 - 40/255.
    for (const p of context.proposals) expect(p.score).toBeCloseTo(1 - 40 / 255, 3);
    expect(context.proposals.every((p) => p.annotationType === 11)).toBe(true);
  });

  it('scales tiles down for a model trained at lower magnification', async () => {
    const plugin = onnxModelPlugin(
      source(darkBlobSegmenter(64), {
        inputWidth: 64,
        inputHeight: 64,
        decoding: { kind: 'segmentation', minArea: 4 },
      }),
    );
    const context = rasterContext(raster, { model: 5, overlap: 8, downsample: 2 });
    await plugin.run(context);
    expect(boxesOf(context.proposals.map((p) => p.vector)).sort(byPosition)).toEqual(
      [...truth].sort(byPosition),
    );
  });

  it('refuses a model of another team, an overlap wider than the input, and a file that is no model', async () => {
    const spec = { inputWidth: 32, inputHeight: 32, decoding: { kind: 'boxes' } };
    const plugin = onnxModelPlugin(source(darkCellBoxer(32, 16), spec));
    await expect(plugin.run(rasterContext(raster, { model: 6 }))).rejects.toThrow(/not this team's/);
    await expect(plugin.run(rasterContext(raster, { model: 5, overlap: 16 }))).rejects.toThrow(
      /leaves nothing/,
    );
    const broken = onnxModelPlugin(source(new Uint8Array([1, 2, 3]), spec));
    await expect(broken.run(rasterContext(raster, { model: 5, overlap: 4 }))).rejects.toThrow(
      /not a model onnxruntime can load/,
    );
    expect(plugin.settings.safeParse({ model: 5, minScore: 2 }).success).toBe(false);
  });
});
