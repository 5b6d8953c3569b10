// An uploaded ONNX model run in the browser (onnxruntime-web, WebAssembly) on the field of view:
// the view's pixels cut into tiles of the model's input size, each decoded by shared's inference core
// (the same as the server's), mapped to image pixels, duplicates suppressed across tiles.
import {
  decodeBoxes,
  decodeSegmentation,
  type DecodedRegion,
  inputTensor,
  nonMaximumSuppression,
  type ModelSpec,
  type ScoredBox,
} from '@tessera/shared';
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { Rgb } from '../api/models';

// The runtime comes with the client's own build, never from a CDN.
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;

/** A proposal found in view, not stored until accepted: its EXACT vector in image pixels and score. */
export interface ViewProposal extends ScoredBox {
  readonly vector: Record<string, number>;
}

/** Runs a model over pixels whose top-left corner is at `origin` in the image. */
export async function runModelOnPixels(
  bytes: Uint8Array,
  spec: ModelSpec,
  pixels: Rgb,
  origin: { x: number; y: number },
  minScore = 0.5,
): Promise<ViewProposal[]> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const { inputWidth: w, inputHeight: h } = spec;
  const found: ViewProposal[] = [];
  try {
    for (let y0 = 0; y0 < pixels.height; y0 += h) {
      for (let x0 = 0; x0 < pixels.width; x0 += w) {
        const tw = Math.min(w, pixels.width - x0);
        const th = Math.min(h, pixels.height - y0);
        const tile = new Uint8Array(tw * th * 3);
        for (let row = 0; row < th; row++) {
          const from = ((y0 + row) * pixels.width + x0) * 3;
          tile.set(pixels.data.subarray(from, from + tw * 3), row * tw * 3);
        }
        const input = new ort.Tensor('float32', inputTensor(tile, tw, th, spec), [1, 3, h, w]);
        const outputs = await session.run({ [session.inputNames[0] ?? '']: input });
        const output = outputs[session.outputNames[0] ?? ''];
        if (!output) throw new Error('the model gave no output');
        const tensor = { data: output.data as ArrayLike<number>, dims: output.dims };
        const at = (x: number, y: number) => ({
          x: Math.round(origin.x + x0 + x),
          y: Math.round(origin.y + y0 + y),
        });
        const items: readonly (ScoredBox | DecodedRegion)[] =
          spec.decoding.kind === 'boxes'
            ? decodeBoxes(tensor, minScore)
            : decodeSegmentation(tensor, spec.decoding.minArea, minScore);
        for (const item of items) {
          if ((item.x1 + item.x2) / 2 >= tw || (item.y1 + item.y2) / 2 >= th) continue;
          const low = at(item.x1, item.y1);
          const high = at(Math.min(tw, item.x2), Math.min(th, item.y2));
          const vector: Record<string, number> = {};
          if ('polygon' in item) {
            for (let i = 0; i < item.polygon.length / 2; i++) {
              const p = at(item.polygon[2 * i] ?? 0, item.polygon[2 * i + 1] ?? 0);
              vector[`x${i + 1}`] = p.x;
              vector[`y${i + 1}`] = p.y;
            }
          } else Object.assign(vector, { x1: low.x, y1: low.y, x2: high.x, y2: high.y });
          found.push({ x1: low.x, y1: low.y, x2: high.x, y2: high.y, score: item.score, vector });
        }
      }
    }
  } finally {
    await session.release();
  }
  return nonMaximumSuppression(found, 0.5);
}
