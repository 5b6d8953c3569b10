// Dataset versions in the browser: an image set's page freezes its annotations as a version, shows
// what changed since, and downloads a version as COCO with the annotations it had, not today's; the
// workspace shows an image as a version holds it, read-only.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RestAnnotation } from '@tessera/shared';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { guideScreenshot } from './support/guide.js';
import { signedIn, unlabelledControls } from './support/pages.js';
import { Factories } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import {
  annotationsOnServer,
  click,
  localCount,
  openWorkspace,
  setUpWorkspace,
  syncState,
  openPage,
} from './support/workspace.js';
import { lacking } from '../support/prerequisites.js';
import { slide, uploadReadyImage } from '../support/upload.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

/** The colours drawn on the annotation canvas along an image-space segment (hex, deduplicated). */
function coloursAlong(
  page: Page,
  a: { x: number; y: number },
  b: { x: number; y: number },
): Promise<string[]> {
  return page.evaluate(
    ({ a, b }) => {
      const w = (
        window as unknown as {
          tesseraWorkspace?: {
            viewer: { transform(): { scale: number; offsetX: number; offsetY: number } | null } | null;
          };
        }
      ).tesseraWorkspace;
      const view = w?.viewer?.transform();
      const canvas = document.querySelector<HTMLCanvasElement>('.annotation-canvas');
      const ctx = canvas?.getContext('2d');
      if (!view || !canvas || !ctx) throw new Error('the workspace is not open');
      const dpr = canvas.width / canvas.getBoundingClientRect().width;
      const found = new Set<string>();
      for (let i = 0; i <= 40; i++) {
        const x = a.x + ((b.x - a.x) * i) / 40;
        const y = a.y + ((b.y - a.y) * i) / 40;
        const [r, g, bl, alpha] = ctx.getImageData(
          Math.round((x * view.scale + view.offsetX) * dpr),
          Math.round((y * view.scale + view.offsetY) * dpr),
          1,
          1,
        ).data;
        if (alpha === 255)
          found.add(`#${[r, g, bl].map((c) => (c ?? 0).toString(16).padStart(2, '0')).join('')}`);
      }
      return [...found];
    },
    { a, b },
  );
}

interface Coco {
  annotations: { bbox: number[]; category_id: number }[];
  categories: { id: number; name: string }[];
}

describe.skipIf(lacking('chromium'))('dataset versions on the image set page', () => {
  it('makes a version, shows the changes since, and downloads it as it was', async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const team = await make.team({ admins: [admin] });
    const set = await make.imageSet(team, admin);
    const product = await make.product(team, admin, [set]);
    const type = await make.annotationType(product, { vector_type: 1 });
    const image = await make.image(set, admin);
    const api = new ApiClient(server.baseUrl, admin);
    const box = (x: number) => ({
      image,
      annotation_type: type,
      vector: { x1: x, y1: 10, x2: x + 20, y2: 30 },
    });
    const made = await api.post<RestAnnotation[]>('/annotations/annotations/', [box(10), box(50)]);
    expect(made.status).toBe(201);

    const page = await signedIn(browser, server.baseUrl, admin, `/sets/${set}`);
    const section = page.getByRole('region', { name: 'Dataset versions' });
    await section.getByText('No versions yet.').waitFor();
    await section.getByLabel('Name').fill('round 1');
    await section.getByLabel('Description').fill('two boxes');
    await section.getByRole('button', { name: 'Make version' }).click();
    await section.getByText('Version "round 1" made.').waitFor();
    const row = section.locator('tbody tr').filter({ hasText: 'round 1' });
    await expect
      .poll(() => row.locator('.version-changes').textContent())
      .toBe('0 added, 0 changed, 0 removed, 0 restored');
    expect(await unlabelledControls(page)).toEqual([]);

    // Later work changes the live state, not the version: a deleted box counts as removed.
    expect((await api.delete(`/annotations/annotations/${made.body[0]?.id}/`)).status).toBe(204);
    const later = await api.post<RestAnnotation>('/annotations/annotations/', box(90));
    expect(later.status).toBe(201);
    await page.reload();
    await expect
      .poll(() =>
        section.locator('tbody tr').filter({ hasText: 'round 1' }).locator('.version-changes').textContent(),
      )
      .toBe('1 added, 0 changed, 1 removed, 0 restored');
    await saveScreenshot(page, 'versions-section');

    const href = await row.getByRole('link', { name: 'COCO of round 1' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/images\/set_versions\/\d+\/export\/\?format=coco$/);
    const download = await page.request.get(`${server.baseUrl}${href ?? ''}`);
    expect(download.status()).toBe(200);
    const coco = (await download.json()) as Coco;
    expect(coco.annotations.map((a) => a.bbox[0] ?? Number.NaN).sort((a, b) => a - b)).toEqual([10, 50]);
    const now = await page.request.get(
      `${server.baseUrl}${(await section.getByRole('link', { name: 'COCO' }).first().getAttribute('href')) ?? ''}`,
    );
    expect(((await now.json()) as Coco).annotations).toHaveLength(2);

    // An admin restores the version: the deleted box comes back and the later one is deleted, as
    // new edits; the counts follow at once, without a reload.
    // "Restore" stands apart from the download links (it used to run into them: "CSVRestore").
    const csv = await row.getByRole('link', { name: 'CSV of round 1' }).boundingBox();
    const restoreButton = await row.getByRole('button', { name: 'Restore round 1' }).boundingBox();
    expect(restoreButton?.x ?? 0).toBeGreaterThan((csv?.x ?? 0) + (csv?.width ?? 0) + 8);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Restore round 1' }).click();
    await section.getByText(/Restored "round 1": 0 brought back, 1 changed, 1 deleted\./).waitFor();
    await expect
      .poll(() => row.locator('.version-changes').textContent())
      .toBe('0 added, 0 changed, 0 removed, 0 restored');
    const live = await api.get<{ count: number }>(
      `/annotations/annotations/count/?image=${image}&deleted=false`,
    );
    expect(live.body.count).toBe(2);
  });

  it('opens an image as a version holds it, read-only, and goes back to now', async () => {
    const { member, set, image, types } = fx();
    const api = new ApiClient(server.baseUrl, member);
    const cell = types.get('Cell') ?? 0;
    const box = (x: number) => ({
      image,
      annotation_type: cell,
      vector: { x1: x, y1: 100, x2: x + 40, y2: 140 },
    });
    expect((await api.post('/annotations/annotations/', [box(100), box(200)])).status).toBe(201);
    const atVersion = (await annotationsOnServer(server, fx())).length;
    const version = await api.post<{ id: number }>('/images/set_versions/', {
      name: 'before',
      imagesets: [set],
    });
    expect(version.status).toBe(201);
    expect((await api.post('/annotations/annotations/', box(300))).status).toBe(201);

    const page = await signedIn(browser, server.baseUrl, member, `/sets/${set}`);
    await page.getByRole('link', { name: 'View before' }).click();
    await expect
      .poll(async () => (await syncState(page)) === 'version', {
        message: 'the version view',
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await localCount(page)) === atVersion, {
        message: 'the version’s annotations',
        timeout: 10_000,
      })
      .toBe(true);
    await page.getByTestId('version-note').waitFor();
    // Drawing is refused: nothing changes, here or on the server.
    await page.keyboard.press('1');
    await click(page, { x: 600, y: 600 });
    // The notice is the click's answer: it was handled, and refused.
    await page.getByText('View only: you cannot change annotations here.').waitFor();
    expect(await localCount(page)).toBe(atVersion);
    expect((await annotationsOnServer(server, fx())).length).toBe(atVersion + 1);
    await saveScreenshot(page, 'versions-view');

    await page.getByRole('link', { name: 'back to now' }).click();
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the live document',
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await localCount(page)) === atVersion + 1, {
        message: 'today’s annotations',
        timeout: 10_000,
      })
      .toBe(true);
  });

  it('compares two versions, draws the difference over the image, and tells a collaborator of a restore', async () => {
    const { member, member2, set, image, types } = fx();
    const admin = new ApiClient(server.baseUrl, member);
    const cell = types.get('Cell') ?? 0;
    const box = (x: number, y: number) => ({ x1: x, y1: y, x2: x + 60, y2: y + 60 });
    const made = await admin.post<RestAnnotation[]>('/annotations/annotations/', [
      { image, annotation_type: cell, vector: box(200, 700) },
      { image, annotation_type: cell, vector: box(400, 700) },
    ]);
    expect(made.status).toBe(201);
    const [moved, removed] = made.body;
    const v1 = await admin.post<{ id: number }>('/images/set_versions/', {
      name: 'compare 1',
      imagesets: [set],
    });
    expect(v1.status).toBe(201);
    expect(
      (await admin.patch(`/annotations/annotations/${moved?.id}/`, { vector: box(200, 900) })).status,
    ).toBe(200);
    expect((await admin.delete(`/annotations/annotations/${removed?.id}/`)).status).toBe(204);
    const added = await admin.post('/annotations/annotations/', {
      image,
      annotation_type: cell,
      vector: box(600, 700),
    });
    expect(added.status).toBe(201);
    const v2 = await admin.post<{ id: number }>('/images/set_versions/', {
      name: 'compare 2',
      imagesets: [set],
    });
    expect(v2.status).toBe(201);

    // The set page compares any two versions, per image and type.
    const setPage = await signedIn(browser, server.baseUrl, member2, `/sets/${set}`);
    await setPage.getByLabel('From', { exact: true }).selectOption({ label: 'compare 1' });
    await setPage.getByLabel('To', { exact: true }).selectOption({ label: 'compare 2' });
    await expect
      .poll(() => setPage.getByTestId('compare-totals').textContent())
      .toBe('compare 1 → compare 2: 1 added, 1 changed, 1 removed, 0 restored');
    await setPage.getByText('Cell: 1 added, 1 changed, 1 removed, 0 restored').waitFor();
    await saveScreenshot(setPage, 'versions-compare');

    // The second user's workspace draws the differences from version 1 to now, each kind in its style.
    const page = await openWorkspace(await browser.newContext(), server, member2, image);
    await page.getByLabel('Compare from').selectOption({ label: 'compare 1' });
    const legend = page.getByTestId('diff-legend');
    const count = (kind: string) => legend.locator(`[data-change="${kind}"]`).getAttribute('data-count');
    await expect.poll(() => Promise.all(['added', 'removed', 'changed'].map(count))).toEqual(['1', '1', '1']);
    const colours = await legend
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-color')));
    expect(new Set(colours).size).toBe(3);
    const [addedColour, removedColour, changedColour] = colours;
    // Along each shape's top edge the canvas shows its kind's colour (the removed one dashed).
    await expect
      .poll(() => coloursAlong(page, { x: 600, y: 700 }, { x: 660, y: 700 }))
      .toContain(addedColour);
    await expect
      .poll(() => coloursAlong(page, { x: 400, y: 700 }, { x: 460, y: 700 }))
      .toContain(removedColour);
    await expect
      .poll(() => coloursAlong(page, { x: 200, y: 900 }, { x: 260, y: 900 }))
      .toContain(changedColour);
    await guideScreenshot(page, 'versions', 'version-diff');

    // The admin restores version 1: the second user is told who did it, and the diff to now empties.
    const restored = await admin.post(`/images/set_versions/${v1.body.id}/restore/`, {});
    expect(restored.status).toBe(200);
    const notice = page.getByTestId('restore-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`${member.username} restored version “compare 1”`);
    await expect.poll(() => Promise.all(['added', 'removed', 'changed'].map(count))).toEqual(['0', '0', '0']);
  });

  it('[G4] compares a version with now on an image with regions, where its regions are loaded', async () => {
    const { member, member2, set, types } = fx();
    const image = await uploadReadyImage(server.baseUrl, member, set, {
      name: 'regions.svs',
      bytes: await slide('synthetic-aperio-3000x2000.svs'),
    });
    // Regions of 1,024 px before any annotation (G1).
    await server.db.query('UPDATE images SET annotation_region_size = 1024 WHERE id = $1', [image]);
    const admin = new ApiClient(server.baseUrl, member);
    const cell = types.get('Cell') ?? 0;
    const box = (x: number, y: number) => ({ x1: x, y1: y, x2: x + 60, y2: y + 60 });
    const made = await admin.post<RestAnnotation[]>('/annotations/annotations/', [
      { image, annotation_type: cell, vector: box(200, 300) },
      { image, annotation_type: cell, vector: box(400, 300) },
      // Region 2.1, far from the view below: unchanged, and not loaded there.
      { image, annotation_type: cell, vector: box(2500, 1500) },
    ]);
    expect(made.status).toBe(201);
    const [moved, removed] = made.body;
    const v1 = await admin.post<{ id: number }>('/images/set_versions/', {
      name: 'regions 1',
      imagesets: [set],
    });
    expect(v1.status).toBe(201);
    expect(
      (await admin.patch(`/annotations/annotations/${moved?.id}/`, { vector: box(200, 500) })).status,
    ).toBe(200);
    expect((await admin.delete(`/annotations/annotations/${removed?.id}/`)).status).toBe(204);
    expect(
      (await admin.post('/annotations/annotations/', { image, annotation_type: cell, vector: box(600, 300) }))
        .status,
    ).toBe(201);

    const context = await browser.newContext();
    const page = await openPage(context, server, member2, `/images/${image}?view=0,0,900,900`);
    await page.getByLabel('Compare from').selectOption({ label: 'regions 1' });
    const legend = page.getByTestId('diff-legend');
    const count = (kind: string) => legend.locator(`[data-change="${kind}"]`).getAttribute('data-count');
    // The box in region 2.1 is not counted as removed: the comparison covers the regions loaded.
    await expect
      .poll(() => Promise.all(['added', 'removed', 'changed'].map(count)), { timeout: 15_000 })
      .toEqual(['1', '1', '1']);
    expect(await page.getByTestId('diff-scope').textContent()).toContain('around the view');
    await context.close();
  });
});
