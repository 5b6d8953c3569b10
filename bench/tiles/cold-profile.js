// Where a cold tile's time goes on one slide: OpenSlide's read of the tile's region (JPEG decode of the
// scanner's tiles, on koffi's worker threads), the ARGB-to-RGB conversion (JavaScript, on the event
// loop) and sharp's scale-and-encode. One tile at a time, so the stages do not overlap.
//
//   npm run build && node bench/tiles/cold-profile.js <slide> [tiles]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { openSlide } = await import(path.join(root, 'tiler/dist/sources/openslide.js'));
const { DeepZoomGeometry } = await import(path.join(root, 'tiler/dist/deepzoom/geometry.js'));
const { rgbToJpeg } = await import(path.join(root, 'tiler/dist/sources/raster.js'));
const { premultipliedArgbToRgb } = await import(path.join(root, 'tiler/dist/sources/pixels.js'));

const [slidePath, count = '300'] = process.argv.slice(2);
if (slidePath === undefined) throw new Error('usage: cold-profile.js <slide> [tiles]');
const slide = openSlide(slidePath);
const geometry = new DeepZoomGeometry(slide);

// A fixed sample over every level, weighted like a shuffled list of all tiles (mostly the top levels).
const all = [];
for (let level = 0; level < geometry.levelCount; level++) {
  const [cols, rows] = geometry.levelTiles[level];
  for (let col = 0; col < cols; col++) for (let row = 0; row < rows; row++) all.push([level, col, row]);
}
let seed = 11;
const sample = Array.from({ length: Math.min(Number(count), all.length) }, () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return all[seed % all.length];
});

const totals = { read: 0, convert: 0, encode: 0, pixelsRead: 0 };
for (const [level, col, row] of sample) {
  const spec = geometry.tile(level, col, row);
  const t0 = performance.now();
  const region = await slide.readRegion(spec.region);
  const t1 = performance.now();
  await rgbToJpeg(region, spec.width, spec.height);
  const t2 = performance.now();
  // readRegion converts as it reads; the conversion alone, timed again on a buffer of the region's size.
  premultipliedArgbToRgb(Buffer.alloc(spec.region.width * spec.region.height * 4, 255));
  const t3 = performance.now();
  totals.read += t1 - t0;
  totals.encode += t2 - t1;
  totals.convert += t3 - t2;
  totals.pixelsRead += spec.region.width * spec.region.height;
}
const per = (ms) => (ms / sample.length).toFixed(2);
console.log(
  JSON.stringify({
    slide: path.basename(slidePath),
    tiles: sample.length,
    readAndConvertMs: per(totals.read),
    ofWhichConvertMs: per(totals.convert),
    scaleAndEncodeMs: per(totals.encode),
    regionPixelsPerTile: Math.round(totals.pixelsRead / sample.length),
  }),
);
await slide.close();
