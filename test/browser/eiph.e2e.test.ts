// The EIPH score panel in headless Chromium against the real server: the total hemosiderin score of
// the graded cells in view, recounted as the view moves.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { VectorType, type RestAnnotation } from '@tessera/shared';
import { useBrowser } from './support/browser.js';
import { flyTo, teamSlide } from './support/team-slide.js';
import { openWorkspace } from './support/workspace.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

const scoreOf = (page: Page) => page.getByTestId('eiph-score').textContent();

describe.skipIf(lacking('chromium', 'openslide'))('the EIPH score panel', () => {
  it('scores the graded cells in view and follows the view', async () => {
    const {
      member,
      image,
      types: grade,
      api,
    } = await teamSlide(
      server,
      [0, 1, 2, 3, 4].map((g) => ({ name: `Grade ${g}`, vector_type: VectorType.box })),
    );
    // Three grade-1 cells at the top left, one grade-4 cell at the bottom right.
    const cells = [
      { type: grade[1], x: 300 },
      { type: grade[1], x: 450 },
      { type: grade[1], x: 600 },
    ].map((c) => ({ annotation_type: c.type, image, vector: { x1: c.x, y1: 300, x2: c.x + 40, y2: 340 } }));
    cells.push({ annotation_type: grade[4], image, vector: { x1: 1900, y1: 2600, x2: 1940, y2: 2640 } });
    expect((await api.post<RestAnnotation[]>('/annotations/annotations/', cells)).status).toBe(201);

    const page = await openWorkspace(await browser.newContext(), server, member, image);
    // The whole slide: (3 x 1 + 1 x 4) / 4 cells x 100 = 175.
    await flyTo(page, { minX: 0, minY: 0, maxX: 2220, maxY: 2967 });
    await expect.poll(() => scoreOf(page)).toBe('175');
    await expect
      .poll(() => page.getByTestId('eiph-counts').textContent())
      .toMatch(/Grades 0-4: 0 \/ 3 \/ 0 \/ 0 \/ 1; 4 cells counted/);
    // Only the top left in view: three grade-1 cells, 100.
    await flyTo(page, { minX: 280, minY: 280, maxX: 660, maxY: 360 });
    await expect.poll(() => scoreOf(page)).toBe('100');
    await page.close();
  });
});
