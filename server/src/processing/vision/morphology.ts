/*
 * Binary morphology with a square structuring element of side 2r + 1, separable into a row pass and
 * a column pass of running counts, so its cost does not grow with r. Self-contained (worker source).
 */

/**
 * Erosion (keep = 1: a pixel stays set when its whole square is set) or dilation (keep = 0: a pixel
 * becomes set when any pixel of its square is set); outside the image counts as unset.
 */
export function squareFilter(
  mask: Uint8Array,
  width: number,
  height: number,
  r: number,
  erode: boolean,
): Uint8Array {
  const pass = (
    input: Uint8Array,
    stride: number,
    step: number,
    lines: number,
    length: number,
  ): Uint8Array => {
    const out = new Uint8Array(input.length);
    for (let line = 0; line < lines; line++) {
      const base = line * stride;
      let set = 0;
      // Running count of set pixels in the window [i - r, i + r].
      for (let i = 0; i < Math.min(r, length); i++) set += input[base + i * step] ?? 0;
      for (let i = 0; i < length; i++) {
        if (i + r < length) set += input[base + (i + r) * step] ?? 0;
        if (i - r - 1 >= 0) set -= input[base + (i - r - 1) * step] ?? 0;
        out[base + i * step] = erode ? (set === 2 * r + 1 ? 1 : 0) : set > 0 ? 1 : 0;
      }
    }
    return out;
  };
  const rows = pass(mask, width, 1, height, width);
  return pass(rows, 1, width, width, height);
}

/** Opening (erosion then dilation): removes specks and thin bridges narrower than 2r + 1. */
export function openMask(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return mask;
  return squareFilter(squareFilter(mask, width, height, r, true), width, height, r, false);
}
