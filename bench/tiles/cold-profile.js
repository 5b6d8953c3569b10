// Where a cold tile's time goes on one slide: OpenSlide's read of the tile's region (JPEG decode of the
// scanner's tiles, on koffi's worker threads), the ARGB-to-RGB conversion (JavaScript, on the event
// loop) and sharp's scale-and-encode. Then the tiles as the tiler serves them (pack, stored tile passed
// through, level between stored levels made from stored tiles, OpenSlide), timed by kind: where a cold
// tile's time goes in the served mix (a slide file without its ingest's tile pack beside it). One tile at a time, so the
// stages do not overlap.
//
//   npm run build && node bench/tiles/cold-profile.js <slide> [tiles]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { openSlide } = await import(path.join(root, 'tiler/dist/sources/openslide.js'));
const { DeepZoomGeometry } = await import(path.join(root, 'tiler/dist/deepzoom/geometry.js'));
const { rgbToJpeg } = await import(path.join(root, 'tiler/dist/sources/raster.js'));
const { premultipliedArgbToRgb } = await import(path.join(root, 'tiler/dist/sources/pixels.js'));
const { storageSourceOpener } = await import(path.join(root, 'tiler/dist/services/open-source.js'));
const { SourcePool } = await import(path.join(root, 'tiler/dist/cache/source-pool.js'));
const { ImageService } = await import(path.join(root, 'tiler/dist/services/image.service.js'));

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

/** The sample as the tiler serves it (no tile cache, no prefetching), timed by how each tile is made. */
async function served() {
  const opener = storageSourceOpener(path.dirname(path.resolve(slidePath)));
  const pool = new SourcePool(opener, 1);
  const images = new ImageService(pool, 0);
  const src = path.basename(slidePath);
  const kinds = await pool.use(src, (pooled) => (level) => {
    if (pooled.pack !== undefined) return 'pack';
    const plan = pooled.native?.plans[level];
    if (plan === undefined) return 'openslide';
    return plan.shrink === 1 ? 'stored tile' : 'from 2x2 stored tiles';
  });
  const byKind = {};
  let total = 0;
  for (const [level, col, row] of sample) {
    const t0 = performance.now();
    const { body } = await images.tile(src, { level, col, row }, undefined);
    const ms = performance.now() - t0;
    const kind = kinds(level);
    byKind[kind] ??= { tiles: 0, ms: 0, bytes: 0 };
    byKind[kind].tiles++;
    byKind[kind].ms += ms;
    byKind[kind].bytes += body?.length ?? 0;
    total += ms;
  }
  await pool.closeAll();
  const split = Object.fromEntries(
    Object.entries(byKind).map(([kind, { tiles, ms, bytes }]) => [
      kind,
      {
        tiles,
        msPerTile: (ms / tiles).toFixed(2),
        shareOfTime: `${Math.round((100 * ms) / total)}%`,
        bytesPerTile: Math.round(bytes / tiles),
      },
    ]),
  );
  return { served: true, msPerTile: (total / sample.length).toFixed(2), split };
}
console.log(JSON.stringify(await served()));
