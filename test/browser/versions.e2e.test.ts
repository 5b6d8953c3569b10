// Dataset versions in the browser: an image set's page freezes its annotations as a version, shows
// what changed since, and downloads a version as COCO with the annotations it had, not today's; the
// workspace shows an image as a version holds it, read-only.
import { describe, expect, it } from 'vitest';
import type { RestAnnotation } from '@tessera/shared';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { signedIn, unlabelledControls } from './support/pages.js';
import { Factories } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { annotationsOnServer, click, localCount, setUpWorkspace, syncState } from './support/workspace.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

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
    expect((await api.post('/annotations/annotations/', [box(10), box(50)])).status).toBe(201);

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
      .toBe('0 added, 0 changed, 0 removed');
    expect(await unlabelledControls(page)).toEqual([]);

    // Later work changes the live state, not the version.
    const later = await api.post<RestAnnotation>('/annotations/annotations/', box(90));
    expect(later.status).toBe(201);
    await page.reload();
    await expect
      .poll(() =>
        section.locator('tbody tr').filter({ hasText: 'round 1' }).locator('.version-changes').textContent(),
      )
      .toBe('1 added, 0 changed, 0 removed');
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
    expect(((await now.json()) as Coco).annotations).toHaveLength(3);

    // An admin restores the version: the later box is deleted as a new edit, history stays.
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Restore round 1' }).click();
    await section.getByText(/Restored "round 1": 0 brought back, 0 changed, 1 deleted\./).waitFor();
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
});
