// The workspace's drawing tools and interaction rules in headless Chromium against the real server,
// tiler and PostgreSQL: freehand and brush polygons (paint, erase), line length and the ruler, the
// digit rule (digits choose, Shift+digit relabels), drawn shapes selected, drag-to-move, the `?`
// sheet. The pointer is driven over known image coordinates; what was stored is read over REST.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Image, RestAnnotation } from '@tessera/shared';
import { vectorPoints } from '@tessera/shared';
import { SHORTCUT_GROUPS } from '../../client/src/workspace/shortcuts.js';
import { formatLength, polylineLength } from '../../client/src/workspace/measure.js';
import { polygonArea } from '../../client/src/workspace/brush.js';
import { insidePolygon, rectOf } from '../../client/src/workspace/geometry.js';
import { useBrowser } from './support/browser.js';
import { guideScreenshot } from './support/guide.js';
import { annotationsOnServer, click, drag, openWorkspace, setUpWorkspace } from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

type P = { x: number; y: number };

/** Presses at the first image point, moves through the others in small steps, releases. */
async function stroke(page: Page, points: P[]) {
  const [first, ...rest] = points;
  if (first === undefined) return;
  await page.mouse.move(...(await fx().screen(page, first)));
  await page.mouse.down();
  for (const p of rest) await page.mouse.move(...(await fx().screen(page, p)), { steps: 6 });
  await page.mouse.up();
}

/** The image's annotations of one type, as the server lists them, oldest first. */
async function ofType(name: string): Promise<RestAnnotation[]> {
  const id = fx().types.get(name);
  return (await annotationsOnServer(server, fx()))
    .filter((a) => a.annotation_type === id)
    .sort((a, b) => a.id - b.id);
}

/** Polls until `read` gives a value `ok` accepts, and returns it. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, message: string): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await read();
        return ok(last);
      },
      { message, timeout: 10_000 },
    )
    .toBe(true);
  return last as T;
}

const near = (a: P, b: P, tolerance: number) => Math.hypot(a.x - b.x, a.y - b.y) <= tolerance;

describe.skipIf(lacking('chromium', 'openslide'))('the workspace tools', () => {
  let page: Page;
  let image: Image;
  const selected = () => page.getByTestId('selection-count').textContent();
  beforeAll(async () => {
    page = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    image = (await new ApiClient(server.baseUrl, fx().member).get<Image>(`/images/images/${fx().image}/`))
      .body;
  });

  it('draws a freehand polygon: the corners of the traced square are its vertices, and it is selected', async () => {
    await page.keyboard.press('p'); // freehand takes the first polygon type, Region
    await stroke(page, [
      { x: 100, y: 100 },
      { x: 400, y: 100 },
      { x: 400, y: 400 },
      { x: 100, y: 400 },
      { x: 100, y: 130 },
    ]);
    const [region] = await until(
      () => ofType('Region'),
      (r) => r.length === 1,
      'the freehand polygon',
    );
    const points = vectorPoints(region?.vector ?? null);
    expect(points.length).toBeLessThanOrEqual(8); // the edges' pointer moves are simplified away
    for (const corner of [
      { x: 100, y: 100 },
      { x: 400, y: 100 },
      { x: 400, y: 400 },
      { x: 100, y: 400 },
    ]) {
      expect(
        points.some((p) => near(p, corner, 4)),
        `a vertex at ${corner.x},${corner.y}`,
      ).toBe(true);
    }
    expect(await selected()).toBe('1 selected');
  });

  it('paints onto the polygon with the brush, paints a new one elsewhere, and erases with Alt', async () => {
    await page.keyboard.press('b');
    const radius = await page.evaluate(() => {
      const w = (window as unknown as { tesseraWorkspace: { interaction: { brushRadius: number } } })
        .tesseraWorkspace;
      return w.interaction.brushRadius;
    });
    const scale = await page.evaluate(
      () =>
        (
          window as unknown as { tesseraWorkspace: { viewer: { transform(): { scale: number } } } }
        ).tesseraWorkspace.viewer.transform().scale,
    );
    const r = radius / scale; // the brush's radius in image pixels at this zoom
    await stroke(page, [
      { x: 380, y: 250 },
      { x: 500, y: 250 },
    ]);
    const [grown] = await until(
      () => ofType('Region'),
      (list) => list.length === 1 && rectOf(vectorPoints(list[0]?.vector ?? null)).maxX > 450,
      'the stroke added to the polygon',
    );
    const grownBox = rectOf(vectorPoints(grown?.vector ?? null));
    expect(grownBox.maxX).toBeGreaterThan(500 + r - 4);
    expect(grownBox.maxX).toBeLessThan(500 + r + 4);
    expect(grownBox.minX).toBeLessThan(104);

    await page.keyboard.press('Escape');
    await stroke(page, [
      { x: 800, y: 800 },
      { x: 1000, y: 800 },
    ]);
    const both = await until(
      () => ofType('Region'),
      (list) => list.length === 2,
      'a new brushed polygon',
    );
    const painted = rectOf(vectorPoints(both[1]?.vector ?? null));
    expect(Math.abs(painted.minX - (800 - r))).toBeLessThan(4);
    expect(Math.abs(painted.maxX - (1000 + r))).toBeLessThan(4);
    expect(Math.abs(painted.maxY - painted.minY - 2 * r)).toBeLessThan(4);
    expect(await selected()).toBe('1 selected');

    const before = Math.abs(polygonArea(vectorPoints(grown?.vector ?? null)));
    await page.keyboard.down('Alt');
    await stroke(page, [
      { x: 160, y: 250 },
      { x: 40, y: 250 },
    ]);
    await page.keyboard.up('Alt');
    const [cut] = await until(
      () => ofType('Region'),
      (list) => Math.abs(polygonArea(vectorPoints(list[0]?.vector ?? null))) < before - 1000,
      'the erase cut a notch out of the first polygon',
    );
    const notched = vectorPoints(cut?.vector ?? null);
    expect(insidePolygon({ x: 150, y: 250 }, notched)).toBe(false); // erased
    expect(insidePolygon({ x: 160 + r + 5, y: 250 }, notched)).toBe(true); // beyond the brush's reach
    expect(insidePolygon({ x: 150, y: 250 + r + 5 }, notched)).toBe(true);
    expect(rectOf(notched).minX).toBeLessThan(104); // the rest of the left edge stays
    await guideScreenshot(page, 'tools', 'workspace-tools');
  });

  it('shows the length of a drawn line, and the ruler measures without storing anything', async () => {
    await page.keyboard.press('3'); // Fibre, a line
    await drag(page, { x: 100, y: 600 }, { x: 400, y: 1000 });
    const [line] = await until(
      () => ofType('Fibre'),
      (list) => list.length === 1,
      'the line',
    );
    const length = formatLength(polylineLength(vectorPoints(line?.vector ?? null)), image);
    expect(length).toMatch(/µm$/); // the slide has its mpp
    await expect.poll(() => page.getByTestId('selection-length').textContent()).toBe(`Length: ${length}`);

    const count = (await annotationsOnServer(server, fx())).length;
    await page.keyboard.press('m');
    await drag(page, { x: 100, y: 1100 }, { x: 400, y: 1100 });
    const status = await page.getByRole('alert').filter({ hasText: 'Measured:' }).textContent();
    const microns = Number(/Measured: ([\d.]+) µm/.exec(status ?? '')?.[1]);
    expect(Math.abs(microns - 300 * image.mpp)).toBeLessThan(2 * image.mpp + 0.1);
    expect((await annotationsOnServer(server, fx())).length).toBe(count);
    await expect.poll(() => page.getByTestId('magnification').textContent()).toMatch(/^\d+(\.\d+)?x$/);
  });

  it('digits choose the class with a selection present; Shift+digit relabels it', async () => {
    await page.keyboard.press('1'); // Cell
    await drag(page, { x: 600, y: 100 }, { x: 700, y: 200 });
    await until(
      () => ofType('Cell'),
      (list) => list.length === 1,
      'box A',
    );
    expect(await selected()).toBe('1 selected');
    await expect.poll(() => page.getByTestId('digit-rule').textContent()).toContain('1 selected keep');
    await page.keyboard.press('6'); // Mitosis for new shapes; box A keeps Cell
    await drag(page, { x: 800, y: 100 }, { x: 900, y: 200 });
    // Edits reach the server in order: once box B is there, a relabel of A would be too.
    await until(
      () => ofType('Mitosis'),
      (list) => list.length === 1,
      'box B',
    );
    expect(await ofType('Cell')).toHaveLength(1);

    await page.keyboard.press('v');
    await click(page, { x: 650, y: 150 }); // box A
    await page.keyboard.press('Shift+Digit6');
    await until(
      () => ofType('Mitosis'),
      (list) => list.length === 2,
      'box A relabelled',
    );
    expect(await ofType('Cell')).toHaveLength(0);
  });

  it('moves a shape by dragging it without a click first, and pans on empty image', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('selection-count').count()).toBe(0);
    await drag(page, { x: 850, y: 150 }, { x: 950, y: 200 }); // box B, unselected
    await until(
      async () => (await ofType('Mitosis')).find((a) => Math.abs((a.vector?.x1 ?? 0) - 900) < 4),
      (moved) => moved !== undefined && Math.abs((moved.vector?.y1 ?? 0) - 150) < 4,
      'box B moved by 100, 50',
    );
    expect(await selected()).toBe('1 selected');
    const view = () =>
      page.evaluate(
        () =>
          (
            window as unknown as { tesseraWorkspace: { viewer: { transform(): { offsetX: number } } } }
          ).tesseraWorkspace.viewer.transform().offsetX,
      );
    const before = await view();
    await drag(page, { x: 1300, y: 600 }, { x: 1200, y: 600 }); // empty image: the view pans
    expect(Math.abs((await view()) - before)).toBeGreaterThan(10);
  });

  it('lists every key of the one shortcut table on ?', async () => {
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => sheet.isVisible()).toBe(true);
    await guideScreenshot(page, 'tools', 'shortcut-sheet');
    const text = (await sheet.textContent()) ?? '';
    for (const k of SHORTCUT_GROUPS.flatMap((g) => g.keys)) expect(text).toContain(k.keys);
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.isVisible()).toBe(false);
  });
});
