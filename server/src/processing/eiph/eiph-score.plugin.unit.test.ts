import { describe, expect, it } from 'vitest';
import type { PluginAnnotation } from '../plugin-api.js';
import { rasterContext } from '../testing/raster-context.test-helpers.js';
import { eiphScorePlugin } from './eiph-score.plugin.js';

const types = [0, 1, 2, 3, 4].map((g) => ({ id: 20 + g, name: `Grade ${g}`, vectorType: 1 }));

describe('EIPH score plugin', () => {
  it('scores the graded annotations of a region', async () => {
    const annotations: PluginAnnotation[] = [
      ...[1, 1, 1].map((_, i) => ({
        id: i,
        annotationType: 21,
        vector: { x1: i * 10, y1: 0, x2: i * 10 + 5, y2: 5 },
      })),
      { id: 9, annotationType: 22, vector: { x1: 50, y1: 50, x2: 60, y2: 60 } },
      { id: 10, annotationType: 99, vector: { x1: 50, y1: 50, x2: 60, y2: 60 } },
    ].map((a) => ({ ...a, generated: false, score: null }));
    const asked: unknown[] = [];
    const context = {
      ...rasterContext({ data: new Uint8Array(300), width: 10, height: 10 }, {}, [
        ...types,
        { id: 99, name: 'Debris', vectorType: 1 },
      ]),
      listAnnotations: (region?: unknown) => {
        asked.push(region);
        return Promise.resolve(annotations);
      },
    };
    // 3 grade-1 and 1 grade-2 cells: 1 x 75 + 2 x 25 = 125.
    expect(await eiphScorePlugin.run(context)).toEqual({
      summary: 'EIPH score 125.0 from 4 cells (grades 0-4: 0, 3, 1, 0, 0)',
    });
    expect(asked).toEqual([{ x: 0, y: 0, width: 10, height: 10 }]);
  });

  it('says when the image has no graded types', async () => {
    const context = rasterContext({ data: new Uint8Array(300), width: 10, height: 10 }, {});
    await expect(eiphScorePlugin.run(context)).rejects.toThrow(/named by a grade/);
  });
});
