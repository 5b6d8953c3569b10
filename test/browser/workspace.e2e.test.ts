// The annotation workspace in headless Chromium against the real server, tiler and PostgreSQL: every
// tool, templates and digits, undo/redo, delete, multi-select relabel (Shift+digit), and a viewer who
// cannot edit.
// What reached the server is read back through the REST API (the projection of the live document).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RestAnnotation } from '@tessera/shared';
import { useBrowser, saveScreenshot } from './support/browser.js';
import {
  annotationsOnServer,
  click,
  drag,
  openWorkspace,
  setUpWorkspace,
  syncState,
} from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { makeTestClip } from '../support/media.js';
import { useTestServer } from '../support/server.js';
import { uploadImages } from '../support/upload.js';
import { lacking } from '../support/prerequisites.js';

interface ClipWindow {
  tesseraWorkspace?: {
    data: { image: { id: number } };
    renderer: { lastFrame: { shapes: number } };
    viewer: { transform(): unknown } | null;
  };
}

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

/** The live annotations of the image on the server, by type name. */
async function byType(): Promise<Map<string, RestAnnotation[]>> {
  const all = await annotationsOnServer(server, fx());
  const map = new Map<string, RestAnnotation[]>();
  for (const a of all) {
    const name = fx().typeName(a.annotation_type);
    map.set(name, [...(map.get(name) ?? []), a]);
  }
  return map;
}

async function liveCount(): Promise<number> {
  return (await annotationsOnServer(server, fx())).length;
}

describe.skipIf(lacking('chromium', 'openslide'))('the annotation workspace', () => {
  let page: Page;
  beforeAll(async () => {
    const context = await browser.newContext();
    page = await openWorkspace(context, server, fx().member, fx().image);
  });

  it('draws every shape type with the templates, single-click included', async () => {
    await page.keyboard.press('1'); // box (EXACT: digits choose the type)
    await drag(page, { x: 100, y: 100 }, { x: 300, y: 250 });
    await page.keyboard.press('1');
    await click(page, { x: 600, y: 600 }); // single click: the type's default 50 x 50
    await page.keyboard.press('2'); // point / circle, default 20 x 20
    await click(page, { x: 800, y: 300 });
    await page.keyboard.press('3'); // line
    await drag(page, { x: 100, y: 500 }, { x: 400, y: 520 });
    await page.keyboard.press('4'); // multi-line: clicks, then a double-click finishes
    await click(page, { x: 100, y: 800 });
    await click(page, { x: 200, y: 850 });
    await page.mouse.dblclick(...(await fx().screen(page, { x: 300, y: 800 })));
    await page.keyboard.press('5'); // polygon: clicks, then Enter
    await click(page, { x: 1000, y: 1000 });
    await click(page, { x: 1200, y: 1000 });
    await click(page, { x: 1100, y: 1200 });
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: /Tumour present/ }).check(); // image-level label
    await saveScreenshot(page, 'workspace-shapes');
    await expect
      .poll(async () => (await liveCount()) === 7, {
        message: 'seven annotations on the server',
        timeout: 10_000,
      })
      .toBe(true);

    const types = await byType();
    const [dragged, clicked] = (types.get('Cell') ?? []).sort(
      (a, b) => (a.vector?.x1 ?? 0) - (b.vector?.x1 ?? 0),
    );
    expectNear(dragged?.vector, { x1: 100, y1: 100, x2: 300, y2: 250 });
    expectNear(clicked?.vector, { x1: 575, y1: 575, x2: 625, y2: 625 });
    expectNear(types.get('Nucleus')?.[0]?.vector, { x1: 790, y1: 290, x2: 810, y2: 310 });
    expectNear(types.get('Fibre')?.[0]?.vector, { x1: 100, y1: 500, x2: 400, y2: 520 });
    expect(Object.keys(types.get('Vessel')?.[0]?.vector ?? {})).toHaveLength(6); // 3 points
    expect(Object.keys(types.get('Region')?.[0]?.vector ?? {})).toHaveLength(6);
    expect(types.get('Tumour present')?.[0]?.vector).toBeNull();
    await expect.poll(() => syncState(page)).toBe('saved');
    expect(await page.getByTestId('sync-state').textContent()).toBe('All changes saved');
  });

  it('relabels the selection with Shift+digit, and undoes and redoes only that', async () => {
    await page.keyboard.press('v');
    await click(page, { x: 200, y: 175 }); // inside the dragged box
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await page.keyboard.press('Shift+Digit6'); // Mitosis, the other box type (a bare digit chooses)
    const boxAt = async () =>
      (await annotationsOnServer(server, fx())).find((a) => Math.abs((a.vector?.x1 ?? 0) - 100) < 5);
    await expect
      .poll(async () => fx().typeName((await boxAt())?.annotation_type ?? 0) === 'Mitosis', {
        message: 'relabel',
        timeout: 10_000,
      })
      .toBe(true);
    await page.keyboard.press('Control+z');
    await expect
      .poll(async () => fx().typeName((await boxAt())?.annotation_type ?? 0) === 'Cell', {
        message: 'undo',
        timeout: 10_000,
      })
      .toBe(true);
    await page.keyboard.press('Control+Shift+z');
    await expect
      .poll(async () => fx().typeName((await boxAt())?.annotation_type ?? 0) === 'Mitosis', {
        message: 'redo',
        timeout: 10_000,
      })
      .toBe(true);
    expect(await liveCount()).toBe(7);
  });

  it('moves a shape by dragging it and resizes it by a handle', async () => {
    await page.keyboard.press('v');
    await click(page, { x: 600, y: 600 });
    await drag(page, { x: 600, y: 600 }, { x: 700, y: 650 }); // move the 50 x 50 box
    await drag(page, { x: 725, y: 675 }, { x: 775, y: 725 }); // its bottom-right handle
    const moved = async () =>
      (await annotationsOnServer(server, fx())).find((a) => Math.abs((a.vector?.x1 ?? 0) - 675) < 5);
    await expect
      .poll(async () => Math.abs(((await moved())?.vector?.x2 ?? 0) - 775) < 5, {
        message: 'the resize on the server',
        timeout: 10_000,
      })
      .toBe(true);
    expectNear((await moved())?.vector, { x1: 675, y1: 625, x2: 775, y2: 725 });
  });

  it('deletes the selection, and undo brings it back', async () => {
    await page.keyboard.press('v');
    await click(page, { x: 800, y: 300 }); // the circle
    await page.keyboard.press('Delete');
    await expect
      .poll(async () => (await liveCount()) === 6, { message: 'the delete on the server', timeout: 10_000 })
      .toBe(true);
    await page.keyboard.press('Control+z');
    await expect
      .poll(async () => (await liveCount()) === 7, { message: 'the undo of the delete', timeout: 10_000 })
      .toBe(true);
  });

  it('selects many with a rectangle and relabels them together', async () => {
    await page.keyboard.press('r');
    await drag(page, { x: 50, y: 50 }, { x: 850, y: 750 }); // both boxes, circle and line inside
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('4 selected');
    await saveScreenshot(page, 'workspace-multi-select');
    await page.keyboard.press('Shift+Digit1'); // Cell: the boxes take it, the circle and line keep theirs
    await expect
      .poll(async () => (await byType()).get('Cell')?.length === 2, {
        message: 'both boxes relabelled',
        timeout: 10_000,
      })
      .toBe(true);
    const types = await byType();
    expect(types.get('Mitosis')).toBeUndefined();
    expect(types.get('Nucleus')).toHaveLength(1);
    expect(types.get('Fibre')).toHaveLength(1);
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'kept their label' }).isVisible())
      .toBe(true);
  });

  it('lists annotations with counts per type, filters them and flies to one', async () => {
    await expect.poll(() => page.getByTestId('annotation-total').textContent()).toBe('7');
    expect(await page.getByTestId(`count-${fx().types.get('Cell') ?? 0}`).textContent()).toContain(': 2');
    await page.getByRole('searchbox', { name: 'Search' }).fill('vessel');
    const rows = page.getByTestId('annotation-rows').getByRole('button');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
  });

  it('shows a multi-frame image frame by frame, with filters, a scale bar and previous/next', async () => {
    expect(await page.getByLabel('Scale bar').textContent()).toMatch(/\d+ (µm|mm)$/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-clip-'));
    makeTestClip(path.join(dir, 'clip.gif'), { seconds: 1, width: 320, height: 240, fps: 3 });
    const upload = await uploadImages(server.baseUrl, fx().member, fx().set, [
      { name: 'clip.gif', bytes: await readFile(path.join(dir, 'clip.gif')) },
    ]);
    await rm(dir, { recursive: true, force: true });
    const clip = upload.body.results[0]?.id ?? 0;
    const api = new ApiClient(server.baseUrl, fx().member);
    await expect
      .poll(
        async () => (await api.get<{ state: string }>(`/images/images/${clip}/`)).body.state === 'ready',
        { message: 'the clip to be ready', timeout: 60_000 },
      )
      .toBe(true);
    await page.reload(); // the set's image list now has the clip after the slide
    await page.getByRole('link', { name: /Next/ }).click();
    await page.waitForFunction(
      (id) => (window as unknown as ClipWindow).tesseraWorkspace?.data.image.id === id,
      clip,
    );
    await expect
      .poll(async () => (await syncState(page)) === 'saved', { message: 'the clip to open', timeout: 10_000 })
      .toBe(true);
    await page.waitForFunction(
      () => (window as unknown as ClipWindow).tesseraWorkspace?.viewer?.transform() != null,
    );
    const frame = page.getByRole('slider', { name: 'Frame' });
    expect(await frame.getAttribute('max')).toBe('3');
    await frame.fill('2');
    await page.waitForFunction(
      () => (window as unknown as ClipWindow).tesseraWorkspace?.viewer?.transform() != null,
    );
    await page.keyboard.press('1');
    await click(page, { x: 160, y: 120 });
    await expect
      .poll(async () => (await annotationsOnServer(server, fx(), clip)).length === 1, {
        message: 'the box',
        timeout: 10_000,
      })
      .toBe(true);
    expect((await annotationsOnServer(server, fx(), clip))[0]?.vector?.['frame']).toBe(2);
    const shapesDrawn = () =>
      page.evaluate(() => (window as unknown as ClipWindow).tesseraWorkspace?.renderer.lastFrame.shapes);
    await expect.poll(shapesDrawn).toBe(1);
    await frame.fill('1'); // the box belongs to frame 2
    await expect.poll(shapesDrawn).toBe(0);

    await page.getByRole('slider', { name: 'Brightness' }).fill('1.5');
    await page.getByRole('checkbox', { name: 'Invert' }).check();
    const tileFilter = () =>
      page.evaluate(() => {
        const canvases = [...document.querySelectorAll('.viewer canvas:not(.annotation-canvas)')];
        return canvases.map((c) => (c as HTMLElement).style.filter).join(' ');
      });
    await expect.poll(tileFilter).toContain('brightness(1.5)');
    expect(await tileFilter()).toContain('invert(1)');
    await saveScreenshot(page, 'workspace-frames-filters');
    await page.getByRole('link', { name: /Previous/ }).click();
    await page.waitForFunction(
      (id) => (window as unknown as ClipWindow).tesseraWorkspace?.data.image.id === id,
      fx().image,
    );
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the slide to open again',
        timeout: 10_000,
      })
      .toBe(true);
  });

  it('gives a viewer (non-member of a public set) no way to edit', async () => {
    const context = await browser.newContext();
    const viewer = await openWorkspace(context, server, fx().outsider, fx().image);
    await expect
      .poll(() => viewer.getByText('View only: you cannot change annotations here.').isVisible())
      .toBe(true);
    expect(await viewer.getByRole('button', { name: /^Draw/ }).isDisabled()).toBe(true);
    await viewer.keyboard.press('1');
    await drag(viewer, { x: 1500, y: 1500 }, { x: 1700, y: 1700 });
    await viewer.keyboard.press('v');
    await click(viewer, { x: 200, y: 175 });
    await viewer.keyboard.press('Delete');
    await expect
      .poll(() => viewer.getByRole('alert').filter({ hasText: 'not change its annotations' }).isVisible())
      .toBe(true);
    await saveScreenshot(viewer, 'workspace-viewer');
    expect(await liveCount()).toBe(7);
    await context.close();
  });
});

/** Whether a vector is within 3 image pixels of the expected coordinates (screen rounding). */
function expectNear(
  vector: Record<string, number> | null | undefined,
  expected: Record<string, number>,
): void {
  for (const [key, value] of Object.entries(expected)) {
    expect(
      Math.abs((vector?.[key] ?? Infinity) - value),
      `${key} of ${JSON.stringify(vector)}`,
    ).toBeLessThanOrEqual(3);
  }
}
