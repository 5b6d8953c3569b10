import { beforeAll, describe, expect, it } from 'vitest';
import {
  generatedSmear,
  matchBoxes,
  rasterContext,
  readRegion,
  type Box,
  type Raster,
} from '../testing/raster-context.test-helpers.js';
import { cellDetectorPlugin } from './cell-detector.plugin.js';
import { VISION, detectObjects, type DetectOptions } from './detect-objects.js';
import { DetectorPool } from './detector-pool.js';

function boxOf(vector: Record<string, number>): Box {
  const xs = Object.entries(vector)
    .filter(([k]) => k.startsWith('x'))
    .map(([, v]) => v);
  const ys = Object.entries(vector)
    .filter(([k]) => k.startsWith('y'))
    .map(([, v]) => v);
  return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
}

describe('cell detector', () => {
  let smear: { raster: Raster; cells: Box[] };
  beforeAll(async () => {
    smear = await generatedSmear(7, 4096, 2048);
  });

  it('finds the cells of a generated cytology slide tile by tile on 2 threads', async () => {
    const context = rasterContext(smear.raster, { tileSize: 1024, workers: 2 });
    const { summary } = await cellDetectorPlugin.run(context);
    const { recall, precision } = matchBoxes(
      smear.cells,
      context.proposals.map((p) => boxOf(p.vector)),
      0.5,
    );
    expect(smear.cells.length).toBeGreaterThan(150);
    expect(recall).toBeGreaterThan(0.9);
    expect(precision).toBeGreaterThan(0.9);
    expect(context.proposals.every((p) => p.annotationType === 11 && p.score > 0 && p.score <= 1)).toBe(true);
    // Written tile by tile, with progress up to the end.
    expect(context.writes).toBeGreaterThan(1);
    expect(context.fractions.at(-1)).toBe(1);
    expect(summary).toMatch(/^\d+ cells proposed in 8 tiles/);
  });

  it('reports an object on a tile border once', async () => {
    // Tiles of 256 px cut most cells; none may come twice.
    const region = { x: 0, y: 0, width: 1024, height: 1024 };
    const context = rasterContext(smear.raster, { tileSize: 256, overlap: 140, region });
    await cellDetectorPlugin.run(context);
    const inside = smear.cells.filter((c) => c.x2 <= 1024 && c.y2 <= 1024);
    const found = context.proposals.map((p) => boxOf(p.vector));
    const { recall, precision } = matchBoxes(inside, found, 0.5);
    expect(recall).toBeGreaterThan(0.9);
    expect(precision).toBeGreaterThan(0.9);
  });

  it('proposes outlines as polygons of a polygon type', async () => {
    const region = { x: 0, y: 0, width: 2048, height: 1024 };
    const context = rasterContext(smear.raster, { region, output: 'polygon' });
    await cellDetectorPlugin.run(context);
    expect(context.proposals.length).toBeGreaterThan(30);
    for (const p of context.proposals) {
      expect(p.annotationType).toBe(12);
      expect(Object.keys(p.vector).length).toBeGreaterThanOrEqual(6);
    }
    const inside = smear.cells.filter((c) => c.x2 <= 2048 && c.y2 <= 1024);
    const { recall } = matchBoxes(
      inside,
      context.proposals.map((p) => boxOf(p.vector)),
      0.6,
    );
    expect(recall).toBeGreaterThan(0.9);
  });

  it('refuses settings it cannot honour with a clear reason', async () => {
    expect(cellDetectorPlugin.settings.safeParse({ workers: 0 }).success).toBe(false);
    expect(cellDetectorPlugin.settings.safeParse({ colour: 'red' }).success).toBe(false);
    expect(cellDetectorPlugin.settings.safeParse({ minArea: 10, maxArea: 5 }).success).toBe(false);
    const outside = rasterContext(smear.raster, { region: { x: 4000, y: 0, width: 200, height: 10 } });
    await expect(cellDetectorPlugin.run(outside)).rejects.toThrow(/outside the image/);
    const wrongType = rasterContext(smear.raster, { annotationType: 12 });
    await expect(cellDetectorPlugin.run(wrongType)).rejects.toThrow(/does not take box vectors/);
    const noType = rasterContext(smear.raster, {}, [{ id: 3, name: 'Tumour', vectorType: 5 }]);
    await expect(cellDetectorPlugin.run(noType)).rejects.toThrow(/no box annotation type/);
  });

  it('stops when the job is cancelled', async () => {
    const context = rasterContext(smear.raster, { tileSize: 256 });
    context.abort();
    await expect(cellDetectorPlugin.run(context)).rejects.toThrow(/abort/i);
    expect(context.proposals).toHaveLength(0);
  });

  it('detects the same on a worker thread as in this thread', async () => {
    const tile = readRegion(smear.raster, { x: 1000, y: 500, width: 600, height: 400 });
    const options: DetectOptions = {
      channel: 'total',
      threshold: 0.2,
      openingRadius: 1,
      minArea: 50,
      maxArea: 1e5,
      polygons: true,
      simplifyTolerance: 0.75,
    };
    const here = detectObjects(tile.data, tile.width, tile.height, options, VISION);
    const pool = new DetectorPool(1);
    try {
      expect(await pool.detect(tile.data, tile.width, tile.height, options)).toEqual(here);
    } finally {
      await pool.close();
    }
    expect(here.length).toBeGreaterThan(0);
  });
});
