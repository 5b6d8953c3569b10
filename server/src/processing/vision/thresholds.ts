/** Counts of `values` in `bins` equal bins over [min, max] (values outside are left out). */
export function histogramOf(values: Float32Array, min: number, max: number, bins: number): Float64Array {
  const histogram = new Float64Array(bins);
  const width = max > min ? (max - min) / bins : 1;
  for (const v of values) {
    if (!(v >= min && v <= max)) continue;
    const bin = Math.min(bins - 1, Math.floor((v - min) / width));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  return histogram;
}

/**
 * Otsu's threshold (IEEE Trans SMC 1979): the value that maximises the variance between the two
 * classes it makes, from a 256-bin histogram over [min, max] of the values.
 */
export function otsuThreshold(values: Float32Array, min: number, max: number): number {
  const bins = 256;
  const histogram = histogramOf(values, min, max, bins);
  const width = max > min ? (max - min) / bins : 1;
  let counted = 0;
  for (const count of histogram) counted += count;
  if (counted === 0) return max;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) sumAll += b * (histogram[b] ?? 0);
  let below = 0;
  let sumBelow = 0;
  let best = 0;
  let bestBin = bins - 1;
  for (let b = 0; b < bins; b++) {
    below += histogram[b] ?? 0;
    if (below === 0) continue;
    const above = counted - below;
    if (above === 0) break;
    sumBelow += b * (histogram[b] ?? 0);
    const meanBelow = sumBelow / below;
    const meanAbove = (sumAll - sumBelow) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      bestBin = b;
    }
  }
  return min + (bestBin + 1) * width;
}

/**
 * The triangle threshold (Zack et al., J Histochem Cytochem 1977) for a histogram with one dominant
 * peak (the background) and a long weak tail (the stained objects): the bin farthest below the line
 * from the peak to the tail's end. Otsu's cut drifts into the tail when objects are few.
 */
export function triangleThreshold(values: Float32Array, min: number, max: number): number {
  const bins = 256;
  const histogram = histogramOf(values, min, max, bins);
  const width = max > min ? (max - min) / bins : 1;
  let peak = 0;
  let end = 0;
  for (let b = 0; b < bins; b++) {
    if ((histogram[b] ?? 0) > (histogram[peak] ?? 0)) peak = b;
    if ((histogram[b] ?? 0) > 0) end = b;
  }
  const top = histogram[peak] ?? 0;
  const last = histogram[end] ?? 0;
  let best = peak;
  let bestDistance = 0;
  for (let b = peak + 1; b < end; b++) {
    // How far the bin lies below the line; the perpendicular distance is this times a constant.
    const gap = top + ((last - top) * (b - peak)) / (end - peak) - (histogram[b] ?? 0);
    if (gap > bestDistance) {
      bestDistance = gap;
      best = b;
    }
  }
  return min + (best + 1) * width;
}
