// An image with regions in the workspace (docs/SPEC-collab.md, G1-G4): the browser opens the index
// document and only the region documents near the view, loads others as the view pans there, and
// writes a new shape into the document of the region holding its centre, where others see it.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import {
  annotationsOnServer,
  click,
  drag,
  openWorkspace,
  setUpWorkspace,
  syncState,
  openPage,
} from './support/workspace.js';
import { lacking } from '../support/prerequisites.js';
import { slide, uploadReadyImage } from '../support/upload.js';
import { useTestServer } from '../support/server.js';

const server = useTestServer({ client: true, tiler: true, collab: { allowedTypesTtlMs: 0 } });
const browser = useBrowser();
const fx = setUpWorkspace(server);

/**
 * The test slide is 2,220 x 2,967 pixels: regions of 1,024 (the smallest sizes are allowed down to
 * 256) give it three columns and three rows, so views can lie in different regions.
 */
const SIZE = 1024;

interface RegionWindow {
  tesseraWorkspace: {
    viewer: { flyTo(rect: { minX: number; minY: number; maxX: number; maxY: number }, now: boolean): void };
    index: { get(id: string): unknown; all(): Iterable<{ id: string }> };
    regions: { keys(): string[]; documents(): { doc: unknown; storageName: string }[] } | null;
    owners: Map<string, unknown>;
    getSnapshot(): { selection: Set<string> };
  };
}

type Area = { minX: number; minY: number; maxX: number; maxY: number };

async function flyTo(page: Page, area: Area): Promise<void> {
  await page.evaluate((a) => {
    (window as unknown as RegionWindow).tesseraWorkspace.viewer.flyTo(a, true);
  }, area);
}

/** What a page holds: the ids in its index and its open regions. */
function held(page: Page): Promise<{ ids: string[]; regions: string[] | null }> {
  return page.evaluate(() => {
    const w = (window as unknown as RegionWindow).tesseraWorkspace;
    return { ids: [...w.index.all()].map((a) => a.id).sort(), regions: w.regions?.keys() ?? null };
  });
}

/** The name of the document the page's workspace holds an annotation in. */
function documentOf(page: Page, id: string): Promise<string | null> {
  return page.evaluate((annotation) => {
    const w = (window as unknown as RegionWindow).tesseraWorkspace;
    const doc = w.owners.get(annotation);
    return w.regions?.documents().find((d) => d.doc === doc)?.storageName ?? null;
  }, id);
}

/** The id of the annotation the server lists at about `x`, `y` (its box's top-left corner). */
async function serverIdNear(x: number, y: number): Promise<string | undefined> {
  const listed = await annotationsOnServer(server, fx());
  return listed.find((a) => {
    const v = a.vector as { x1?: number; y1?: number } | null;
    return v?.x1 !== undefined && v.y1 !== undefined && Math.abs(v.x1 - x) < 60 && Math.abs(v.y1 - y) < 60;
  })?.unique_identifier;
}

const TOP_LEFT: Area = { minX: 0, minY: 0, maxX: 600, maxY: 600 };
const BOTTOM_RIGHT: Area = { minX: 2300, minY: 2500, maxX: 2900, maxY: 2950 };

describe.skipIf(lacking('chromium', 'openslide'))('an image with regions in the workspace', () => {
  beforeAll(async () => {
    // Put into region mode before any annotation exists (what `tessera documents regions` ends with).
    await server.db.query('UPDATE images SET annotation_region_size = $1 WHERE id = $2', [SIZE, fx().image]);
  });

  it('[G4] opens the regions in view, loads others on panning, [G1] writes a shape into its centre region', async () => {
    // A seeds one box in region 0.0 and one in region 2.2 (default size 50, centred on the click).
    const a = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    await flyTo(a, TOP_LEFT);
    await a.keyboard.press('1');
    await click(a, { x: 300, y: 300 });
    await flyTo(a, BOTTOM_RIGHT);
    await click(a, { x: 2600, y: 2700 });
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length, {
        message: 'the seeds',
        timeout: 15_000,
      })
      .toBe(2);
    const near = (await serverIdNear(275, 275)) ?? '';
    const far = (await serverIdNear(2575, 2675)) ?? '';
    expect(near).not.toBe('');
    expect(far).not.toBe('');

    // B opens the image at the top left: region 0.0 is loaded, region 2.2 is not.
    const b = await openWorkspace(await browser.newContext(), server, fx().member2, fx().image);
    await flyTo(b, TOP_LEFT);
    await expect
      .poll(() => held(b), { message: "B's regions at the top left", timeout: 15_000 })
      .toEqual({ ids: [near], regions: ['0.0'] });
    // The list counts both: the loaded box, and the one in region 2.2 from the index.
    await expect.poll(() => b.getByTestId('annotation-total').textContent()).toBe('2');
    expect(await b.getByTestId('annotations-not-loaded').textContent()).toMatch(/^1 in parts of the image/);
    await saveScreenshot(b, 'workspace-regions-top-left');

    // Panning to the bottom right loads region 2.2 and closes region 0.0, now far away.
    await flyTo(b, BOTTOM_RIGHT);
    await expect
      .poll(() => held(b), { message: "B's regions at the bottom right", timeout: 15_000 })
      .toEqual({ ids: [far], regions: ['2.2'] });
    await flyTo(b, TOP_LEFT);

    // A draws a box across the border of regions 0.0 and 1.0, centred in 1.0 (x = 1,100).
    await flyTo(a, { minX: 700, minY: 0, maxX: 1400, maxY: 700 });
    await drag(a, { x: 1000, y: 300 }, { x: 1200, y: 360 });
    const drawn = await a.evaluate(() => [
      ...(window as unknown as RegionWindow).tesseraWorkspace.getSnapshot().selection,
    ]);
    expect(drawn).toHaveLength(1);
    const id = drawn[0] ?? '';
    expect(await documentOf(a, id)).toMatch(new RegExp(`^tessera:image\\.${fx().image}\\.region\\.1\\.0:`));
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).some((x) => x.unique_identifier === id), {
        message: 'the server to keep the box drawn across the border',
        timeout: 15_000,
      })
      .toBe(true);
    // B, viewing the top left, opens region 1.0 once the index says it holds a shape near its view.
    await expect
      .poll(async () => (await held(b)).ids.includes(id), { message: 'B to see the box', timeout: 15_000 })
      .toBe(true);
    expect(await documentOf(b, id)).toMatch(new RegExp(`^tessera:image\\.${fx().image}\\.region\\.1\\.0:`));
    await saveScreenshot(b, 'workspace-regions-across-border');
    await a.context().close();
    await b.context().close();
  });
  it('[G4] a view link opens at its place, loading the regions there and not those at the top left', async () => {
    const near = (await serverIdNear(275, 275)) ?? '';
    const far = (await serverIdNear(2575, 2675)) ?? '';
    const view = { minX: 1900, minY: 2400, maxX: 2200, maxY: 2900 };
    const context = await browser.newContext();
    const page = await openPage(
      context,
      server,
      fx().member2,
      `/images/${fx().image}?view=1900,2400,300,500`,
    );
    await expect
      .poll(async () => (await held(page)).ids.includes(far), {
        message: 'the box at the linked place',
        timeout: 15_000,
      })
      .toBe(true);
    // The region's stored copy came over HTTP (S1), before its live connection.
    const fetched = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((r) => new URL(r.name).search)
        .filter((q) => q.startsWith('?region=')),
    );
    expect(fetched).toContain('?region=2.2');
    // Opened there, not at whole-slide zoom first: the top left's region was never asked for.
    expect((await held(page)).ids).not.toContain(near);
    expect((await held(page)).regions).not.toContain('0.0');
    const visible = await page.evaluate(() =>
      (
        window as unknown as { tesseraWorkspace: { viewer: { visible(): Area } } }
      ).tesseraWorkspace.viewer.visible(),
    );
    expect(visible.minX).toBeLessThanOrEqual(view.minX + 1);
    expect(visible.minY).toBeLessThanOrEqual(view.minY + 1);
    expect(visible.maxX).toBeGreaterThanOrEqual(view.maxX - 1);
    expect(visible.maxY).toBeGreaterThanOrEqual(view.maxY - 1);
    // The toolbar's link names the view shown now.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy a link to this view' }).click();
    await page.getByText('Link to this view copied.').waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`/images/${fx().image}\\?view=\\d+,\\d+,\\d+,\\d+$`));
    await context.close();
  });

  it('[G4] a link to an annotation in a region not open finds it through the server and goes there', async () => {
    const far = (await serverIdNear(2575, 2675)) ?? '';
    const context = await browser.newContext();
    // Opened at the top left, where region 2.2 is not loaded: what E and the review page's links do.
    const page = await openPage(
      context,
      server,
      fx().member2,
      `/images/${fx().image}?view=0,0,600,600&annotation=${far}`,
    );
    await expect
      .poll(
        () =>
          page.evaluate(() => [
            ...(window as unknown as RegionWindow).tesseraWorkspace.getSnapshot().selection,
          ]),
        { message: 'the linked annotation selected', timeout: 15_000 },
      )
      .toEqual([far]);
    expect((await held(page)).regions).toContain('2.2');
    await context.close();
  });

  it('[G4] a link to an annotation the image does not have says so', async () => {
    const context = await browser.newContext();
    const page = await openPage(
      context,
      server,
      fx().member2,
      `/images/${fx().image}?view=0,0,600,600&annotation=${randomUUID()}`,
    );
    await page.getByText('The annotation could not be found: it is not on this image').waitFor();
    await context.close();
  });

  it('[G4][W6] keeps work in regions offline, a region not open included, and sends it on reconnect', async () => {
    const context = await browser.newContext();
    const page = await openWorkspace(context, server, fx().member2, fx().image);
    await flyTo(page, TOP_LEFT);
    await expect
      .poll(async () => (await held(page)).regions?.includes('0.0'), {
        message: 'region 0.0',
        timeout: 15_000,
      })
      .toBe(true);
    const start = (await annotationsOnServer(server, fx())).length;
    await context.setOffline(true);
    await expect.poll(() => syncState(page), { message: 'offline', timeout: 10_000 }).toBe('offline');
    await page.keyboard.press('1');
    await click(page, { x: 450, y: 450 });
    // Region 2.0 holds nothing yet and is not open: the write opens it from this browser's copy.
    await flyTo(page, { minX: 2100, minY: 0, maxX: 2220, maxY: 400 });
    await click(page, { x: 2150, y: 200 });
    expect((await held(page)).regions).toContain('2.0');
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toContain('2 changes waiting');
    await saveScreenshot(page, 'workspace-regions-offline');

    await context.setOffline(false);
    await expect
      .poll(() => syncState(page), { message: 'saved after reconnecting', timeout: 15_000 })
      .toBe('saved');
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length, {
        message: 'both boxes on the server',
        timeout: 15_000,
      })
      .toBe(start + 2);
    await context.close();
  });

  it('[G4] keeping the set for offline work keeps another image with regions by its index document', async () => {
    const other = await uploadReadyImage(server.baseUrl, fx().member, fx().set, {
      name: 'boxes.tiff',
      bytes: await slide('openslide-python-boxes.tiff'),
    });
    await server.db.query('UPDATE images SET annotation_region_size = $1 WHERE id = $2', [SIZE, other]);
    const context = await browser.newContext();
    const page = await openWorkspace(context, server, fx().member, fx().image);
    // Its whole document is retired (G6): keeping that one was refused, so the image was not kept.
    await page.getByRole('button', { name: 'Keep the other 1 images for offline work' }).click();
    await expect
      .poll(() => page.getByTestId('keep-offline-state').textContent(), { timeout: 30_000 })
      .toBe('1 of 1 kept');
    await context.close();
  });
});
