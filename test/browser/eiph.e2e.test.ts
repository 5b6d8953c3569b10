// The EIPH score panel in headless Chromium against the real server: the total hemosiderin score of
// the graded cells in view, recounted as the view moves.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { VectorType, type RestAnnotation } from '@tessera/shared';
import { useBrowser } from './support/browser.js';
import { openWorkspace } from './support/workspace.js';
import { Factories } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';
import { slide, uploadImages } from '../support/upload.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

interface EiphWindow {
  tesseraWorkspace: {
    viewer: {
      flyTo(rect: { minX: number; minY: number; maxX: number; maxY: number }, immediately?: boolean): void;
    };
  };
}

const scoreOf = (page: Page) => page.getByTestId('eiph-score').textContent();

describe.skipIf(lacking('chromium', 'openslide'))('the EIPH score panel', () => {
  it('scores the graded cells in view and follows the view', async () => {
    const f = new Factories(server.db);
    const member = await f.user();
    const team = await f.team({ admins: [member] });
    const set = await f.imageSet(team, member);
    const product = await f.product(team, member, [set]);
    const grade: number[] = [];
    for (let g = 0; g <= 4; g++) {
      grade.push(
        await f.annotationType(product, {
          name: `Grade ${g}`,
          vector_type: VectorType.box,
          sort_order: g + 1,
        }),
      );
    }
    const upload = await uploadImages(server.baseUrl, member, set, [
      { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
    ]);
    const image = upload.body.results[0]?.id ?? 0;
    const api = new ApiClient(server.baseUrl, member);
    await expect
      .poll(async () => (await api.get<{ state: string }>(`/images/images/${image}/`)).body.state, {
        timeout: 60_000,
      })
      .toBe('ready');
    // Three grade-1 cells at the top left, one grade-4 cell at the bottom right.
    const cells = [
      { type: grade[1], x: 300 },
      { type: grade[1], x: 450 },
      { type: grade[1], x: 600 },
    ].map((c) => ({ annotation_type: c.type, image, vector: { x1: c.x, y1: 300, x2: c.x + 40, y2: 340 } }));
    cells.push({ annotation_type: grade[4], image, vector: { x1: 1900, y1: 2600, x2: 1940, y2: 2640 } });
    expect((await api.post<RestAnnotation[]>('/annotations/annotations/', cells)).status).toBe(201);

    const page = await openWorkspace(await browser.newContext(), server, member, image);
    const fly = (rect: { minX: number; minY: number; maxX: number; maxY: number }) =>
      page.evaluate((r) => {
        (window as unknown as EiphWindow).tesseraWorkspace.viewer.flyTo(r, true);
      }, rect);
    // The whole slide: (3 x 1 + 1 x 4) / 4 cells x 100 = 175.
    await fly({ minX: 0, minY: 0, maxX: 2220, maxY: 2967 });
    await expect.poll(() => scoreOf(page)).toBe('175');
    await expect
      .poll(() => page.getByTestId('eiph-counts').textContent())
      .toMatch(/Grades 0-4: 0 \/ 3 \/ 0 \/ 0 \/ 1; 4 cells counted/);
    // Only the top left in view: three grade-1 cells, 100.
    await page.evaluate(() => {
      (window as unknown as EiphWindow).tesseraWorkspace.viewer.flyTo(
        { minX: 280, minY: 280, maxX: 660, maxY: 360 },
        true,
      );
    });
    await expect.poll(() => scoreOf(page)).toBe('100');
    await page.close();
  });
});
