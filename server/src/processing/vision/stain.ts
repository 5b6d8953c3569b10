/*
 * Stain separation by colour deconvolution (Ruifrok and Johnston, Anal Quant Cytol Histol 2001):
 * transmitted light obeys Beer-Lambert, so optical densities add up over stains and the amount of
 * each stain is the optical density times the inverse of the stain matrix.
 *
 * Every function here is self-contained (no module-level names): the detector's worker threads run
 * their source text as it is (see detector/detector-pool.ts).
 */

/** Optical density per pixel summed over R, G and B: how much light any stain took away. */
export function totalDensity(rgb: Uint8Array, pixels: number): Float32Array {
  const od = new Float32Array(256);
  for (let v = 0; v < 256; v++) od[v] = -Math.log10((v + 1) / 256);
  const out = new Float32Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += 3) {
    out[i] = (od[rgb[o] ?? 255] ?? 0) + (od[rgb[o + 1] ?? 255] ?? 0) + (od[rgb[o + 2] ?? 255] ?? 0);
  }
  return out;
}

/**
 * The haematoxylin amount per pixel: the first column of the inverted H-E-DAB stain matrix (the
 * stain vectors measured by Ruifrok and Johnston) applied to the pixel's optical densities.
 */
export function haematoxylinDensity(rgb: Uint8Array, pixels: number): Float32Array {
  const stains = [
    [0.65, 0.704, 0.286],
    [0.072, 0.99, 0.105],
    [0.268, 0.57, 0.776],
  ].map((row) => {
    const norm = Math.hypot(row[0] ?? 0, row[1] ?? 0, row[2] ?? 0);
    return row.map((v) => v / norm);
  });
  const m = (r: number, c: number): number => stains[r]?.[c] ?? 0;
  const det =
    m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) -
    m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) +
    m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
  // Column 0 of the inverse: haematoxylin = odR * h0 + odG * h1 + odB * h2.
  const h0 = (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) / det;
  const h1 = -(m(0, 1) * m(2, 2) - m(0, 2) * m(2, 1)) / det;
  const h2 = (m(0, 1) * m(1, 2) - m(0, 2) * m(1, 1)) / det;
  const od = new Float32Array(256);
  for (let v = 0; v < 256; v++) od[v] = -Math.log10((v + 1) / 256);
  const out = new Float32Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += 3) {
    const h =
      (od[rgb[o] ?? 255] ?? 0) * h0 + (od[rgb[o + 1] ?? 255] ?? 0) * h1 + (od[rgb[o + 2] ?? 255] ?? 0) * h2;
    out[i] = h > 0 ? h : 0;
  }
  return out;
}

/**
 * How coloured a pixel is, in optical density: the largest channel density minus the smallest. A
 * stain absorbs some wavelengths more than others, while uneven illumination and a grey or pale
 * background dim all three alike, so this separates stained cells from background of any brightness.
 */
export function colourDensity(rgb: Uint8Array, pixels: number): Float32Array {
  const od = new Float32Array(256);
  for (let v = 0; v < 256; v++) od[v] = -Math.log10((v + 1) / 256);
  const out = new Float32Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += 3) {
    const r = od[rgb[o] ?? 255] ?? 0;
    const g = od[rgb[o + 1] ?? 255] ?? 0;
    const b = od[rgb[o + 2] ?? 255] ?? 0;
    out[i] = Math.max(r, g, b) - Math.min(r, g, b);
  }
  return out;
}
