import type { ModelSpec } from './model-spec.js';

/**
 * Packed RGB pixels as a model's input [1, 3, inputHeight, inputWidth]: normalised per channel, the
 * pixels placed top-left, the rest zero (the normalised mean) when the tile is smaller than the input.
 */
export function inputTensor(rgb: Uint8Array, width: number, height: number, spec: ModelSpec): Float32Array {
  const { inputWidth: w, inputHeight: h } = spec;
  const { scale, mean, std } = spec.normalisation;
  const plane = w * h;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < Math.min(h, height); y++) {
    for (let x = 0; x < Math.min(w, width); x++) {
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        out[c * plane + y * w + x] = ((rgb[o + c] ?? 0) * scale - (mean[c] ?? 0)) / (std[c] ?? 1);
      }
    }
  }
  return out;
}
