// Colour and texture features of one crop, for placing look-alike cells next to each other. Cheap on
// purpose (one pass over a cell-sized image): they only have to order crops by appearance.
import type { RgbImage } from '../sources/image-source.js';

/** Bins of the grey-level and gradient histograms. */
const BINS = 8;

/** The number of values `cropFeatures` returns. */
export const FEATURE_COUNT = 6 + BINS + BINS + 2;

/**
 * Mean and standard deviation of R, G and B; a grey-level histogram; a histogram of gradient
 * magnitudes (texture); and the mean absolute horizontal and vertical gradients. Histograms are
 * fractions of the pixels, so crops of any size compare.
 */
export function cropFeatures(image: RgbImage): number[] {
  const { width, height, data } = image;
  const pixels = width * height;
  const sum = [0, 0, 0];
  const squares = [0, 0, 0];
  const grey = new Float64Array(pixels);
  const greyHistogram = new Array<number>(BINS).fill(0);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const value = data[p * 3 + c] ?? 0;
      sum[c] = (sum[c] ?? 0) + value;
      squares[c] = (squares[c] ?? 0) + value * value;
    }
    const g = 0.299 * (data[p * 3] ?? 0) + 0.587 * (data[p * 3 + 1] ?? 0) + 0.114 * (data[p * 3 + 2] ?? 0);
    grey[p] = g;
    const bin = Math.min(BINS - 1, Math.floor((g / 256) * BINS));
    greyHistogram[bin] = (greyHistogram[bin] ?? 0) + 1 / pixels;
  }
  const colour = [0, 1, 2].flatMap((c) => {
    const mean = (sum[c] ?? 0) / pixels;
    return [mean / 255, Math.sqrt(Math.max(0, (squares[c] ?? 0) / pixels - mean * mean)) / 255];
  });
  return [...colour, ...greyHistogram, ...gradientFeatures(grey, width, height)];
}

// Gradient magnitudes of the grey image by central differences (edges excluded).
function gradientFeatures(grey: Float64Array, width: number, height: number): number[] {
  const histogram = new Array<number>(BINS).fill(0);
  let dxSum = 0;
  let dySum = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const at = (xx: number, yy: number) => grey[yy * width + xx] ?? 0;
      const dx = (at(x + 1, y) - at(x - 1, y)) / 2;
      const dy = (at(x, y + 1) - at(x, y - 1)) / 2;
      dxSum += Math.abs(dx);
      dySum += Math.abs(dy);
      // Magnitudes above 64 grey levels per pixel are all strong edges: the last bin.
      const bin = Math.min(BINS - 1, Math.floor((Math.hypot(dx, dy) / 64) * BINS));
      histogram[bin] = (histogram[bin] ?? 0) + 1;
      count++;
    }
  }
  const scale = count === 0 ? 0 : 1 / count;
  return [...histogram.map((n) => n * scale), (dxSum * scale) / 255, (dySum * scale) / 255];
}
