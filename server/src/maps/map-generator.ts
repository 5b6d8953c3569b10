import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_MAP_ANNOTATIONS } from '@tessera/shared';
import { framePath, type MosaicJob } from '@tessera/tiler/token';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import type { ImageStorage } from '../ingest/storage.js';
import { boxInCell, cropSquare, type BoundingBox } from './crop.js';
import { embed2dInWorker } from './embedding.js';
import { clusterLayout, gridLayout, type GridCell } from './layout.js';
import { MapsRepo, type MapRecord, type NewCell, type ScopeAnnotation } from './maps.repo.js';
import type { MosaicClient } from './mosaic.client.js';

/** The smallest crop side in level-0 pixels: a point annotation still shows the cell around it. */
const MIN_CROP_SIDE = 64;

/** Where one generation of a map keeps its files (a new folder each time: tile URLs stay immutable). */
export function generationDir(mapId: number, generation: number): string {
  return path.posix.join('maps', `map_${mapId}`, `generation_${generation}`);
}

/**
 * Generates maps outside the request: reads the map's annotations, crops each with context, places the
 * crops (grid, or by a UMAP of their features), has the tiler write the mosaic, then stores the cells.
 * A generation superseded by a newer one is discarded when it ends.
 */
export class MapGenerator {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly storage: ImageStorage,
    private readonly mosaics: MosaicClient,
    private readonly logger: Logger,
  ) {}

  /** Starts generation `generation` of `map` in the background. */
  start(map: MapRecord, generation: number): void {
    const task = this.generate(map, generation).catch(async (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error, map: map.id }, 'annotation map generation failed');
      await new MapsRepo(this.db).fail(map.id, generation, reason).catch(() => undefined);
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Resolves once every generation started so far has ended (shutdown and tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async generate(map: MapRecord, generation: number): Promise<void> {
    const repo = new MapsRepo(this.db);
    const annotations = await repo.scope(map.id);
    if (annotations.length === 0) throw new Error('No annotations of this type to show.');
    if (annotations.length > MAX_MAP_ANNOTATIONS) {
      throw new Error(
        `${annotations.length} annotations are more than a map shows (${MAX_MAP_ANNOTATIONS}); map one image at a time.`,
      );
    }
    const crops = annotations.map((a) => crop(a, map));
    const dir = generationDir(map.id, generation);
    const layoutPath = path.posix.join(dir, 'layout.json');
    const mosaicPath = path.posix.join(dir, 'mosaic.tiff');
    await mkdir(this.storage.resolve(dir), { recursive: true });
    const placed =
      map.kind === 'grid'
        ? gridLayout(crops.length)
        : clusterLayout(
            await embed2dInWorker(await this.features(map, annotations, crops, layoutPath), map.seed),
          );
    await this.writeJob(layoutPath, map, annotations, crops, placed);
    const mosaic = await this.mosaics.run(layoutPath, mosaicPath);
    const cells = annotations.map((a, i): NewCell => {
      const square = crops[i]?.square ?? { x: 0, y: 0, side: 1 };
      const inCell = boxInCell(box(a), square, map.cell_size);
      const at = placed.cells[i] ?? { col: 0, row: 0 };
      return {
        cell: at.row * placed.columns + at.col,
        col: at.col,
        row: at.row,
        annotationId: a.id,
        box: [a.x_min, a.y_min, a.x_max, a.y_max],
        boxInCell: [inCell.xMin, inCell.yMin, inCell.xMax, inCell.yMax],
      };
    });
    const stored = await this.db.transaction((tx) =>
      new MapsRepo(tx).finish(
        map.id,
        generation,
        { ...placed, width: mosaic.width, height: mosaic.height, layout: layoutPath, mosaic: mosaicPath },
        cells,
      ),
    );
    // The previous generation's files (or, when superseded, this one's) are no longer served.
    const obsolete = stored ? generationDir(map.id, generation - 1) : dir;
    await rm(this.storage.resolve(obsolete), { recursive: true, force: true });
  }

  /** Supplied feature vectors when every annotation has one; else the crops' colour and texture. */
  private async features(
    map: MapRecord,
    annotations: readonly ScopeAnnotation[],
    crops: readonly Crop[],
    layoutPath: string,
  ): Promise<number[][]> {
    const supplied = annotations.map((a) => map.features?.[a.unique_identifier]);
    const width = supplied[0]?.length;
    if (supplied.every((f): f is number[] => f !== undefined && f.length === width)) return supplied;
    await this.writeJob(layoutPath, map, annotations, crops, gridLayout(crops.length));
    return (await this.mosaics.run(layoutPath)).features;
  }

  private async writeJob(
    layoutPath: string,
    map: MapRecord,
    annotations: readonly ScopeAnnotation[],
    crops: readonly Crop[],
    placed: { columns: number; rows: number; cells: GridCell[] },
  ): Promise<void> {
    const job: MosaicJob & { cells: { annotation: { id: number; uuid: string; image: number } }[] } = {
      v: 1,
      cellSize: map.cell_size,
      columns: placed.columns,
      rows: placed.rows,
      cells: annotations.map((a, i) => {
        const c = crops[i] ?? { src: '', square: { x: 0, y: 0, side: 1 } };
        const at = placed.cells[i] ?? { col: 0, row: 0 };
        return {
          col: at.col,
          row: at.row,
          src: c.src,
          ...c.square,
          annotation: { id: a.id, uuid: a.unique_identifier, image: a.image_id },
        };
      }),
    };
    await writeFile(this.storage.resolve(layoutPath), JSON.stringify(job));
  }
}

interface Crop {
  readonly src: string;
  readonly square: { x: number; y: number; side: number };
}

function box(a: ScopeAnnotation): BoundingBox {
  return { xMin: a.x_min, yMin: a.y_min, xMax: a.x_max, yMax: a.y_max };
}

function crop(a: ScopeAnnotation, map: MapRecord): Crop {
  const frame = Math.min(Math.max(a.frame ?? 1, 1), Math.max(a.frames, 1));
  return {
    src: framePath(a.pyramid, frame),
    square: cropSquare(box(a), a.width, a.height, { context: map.context, minSide: MIN_CROP_SIDE }),
  };
}
