// Writes a tile pack for any image source by rendering every DeepZoom tile once (what the first viewer
// would otherwise wait for), stored uncompressed in one zip so TilePack serves each with a single read.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import type { DeepZoomGeometry } from '../deepzoom/geometry.js';
import type { ImageSource } from '../sources/image-source.js';
import { Limiter } from '../sources/limiter.js';
import { renderTileJpeg } from './render.js';

/** Tiles rendered at once while packing: enough to keep both cores busy without hoarding memory. */
const PACK_CONCURRENCY = 4;

/** How many tiles a pack of this geometry would hold. */
export function tileCount(geometry: DeepZoomGeometry): number {
  return geometry.levelTiles.reduce((sum, [cols, rows]) => sum + cols * rows, 0);
}

/** Renders every tile (JPEG at `quality`) into a pack at `output`, written under a temporary name first. */
export async function writeTilePack(
  source: ImageSource,
  geometry: DeepZoomGeometry,
  output: string,
  quality: number,
): Promise<void> {
  const temp = `${output}.${randomBytes(6).toString('hex')}.tmp`;
  const zip = new yazl.ZipFile();
  const written = new Promise<void>((resolve, reject) => {
    const file = createWriteStream(temp);
    file.on('error', reject);
    file.on('close', resolve);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(file);
  });
  const limiter = new Limiter(PACK_CONCURRENCY);
  try {
    const renders: Promise<void>[] = [];
    for (let level = 0; level < geometry.levelCount; level++) {
      const [cols, rows] = geometry.levelTiles[level] ?? [0, 0];
      for (let col = 0; col < cols; col++) {
        for (let row = 0; row < rows; row++) {
          renders.push(
            limiter.run(async () => {
              const jpeg = await renderTileJpeg(source, geometry, { level, col, row }, { quality });
              zip.addBuffer(jpeg, `tiles_files/${level}/${col}_${row}.jpeg`, { compress: false });
            }),
          );
        }
      }
    }
    await Promise.all(renders);
    zip.end();
    await written;
    await rename(temp, output);
  } catch (err) {
    zip.end();
    await written.catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}
