// Blind sets in the workspace: each reader sees only their own copy; the team admin picks readers'
// copies to draw beside their own (one reader, all side by side in a colour each, or merged).
import { VectorType } from '@tessera/shared';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { click, localCount, openPage, openWorkspace } from './support/workspace.js';
import { Factories, type TestUser } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';
import { slide, uploadImages, uploadReadyImage } from '../support/upload.js';
import { ImageSetsRepo } from '../../server/src/resources/image-sets/image-sets.repo.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

interface BlindWindow {
  tesseraWorkspace: {
    readers: {
      shown(): { reader: { name: string }; annotations: number }[];
      layers(): { color: string | null }[];
    } | null;
    renderer: { lastFrame: { shapes: number; layerShapes: number } };
  };
}

/** What the admin's page draws of the readers' copies: each reader's count, colours, shapes drawn. */
function readerView(page: Page) {
  return page.evaluate(() => {
    const w = (window as unknown as BlindWindow).tesseraWorkspace;
    return {
      counts: Object.fromEntries((w.readers?.shown() ?? []).map((s) => [s.reader.name, s.annotations])),
      colors: (w.readers?.layers() ?? []).map((l) => l.color),
      drawn: w.renderer.lastFrame.layerShapes,
    };
  });
}

let admin: TestUser;
let readerA: TestUser;
let readerB: TestUser;
let image = 0;
let set = 0;

describe.skipIf(lacking('chromium', 'openslide'))('a blind set in the workspace', () => {
  beforeAll(async () => {
    const f = new Factories(server.db);
    [admin, readerA, readerB] = [await f.user(), await f.user(), await f.user()];
    const team = await f.team({ admins: [admin], members: [readerA, readerB] });
    set = await f.imageSet(team, admin);
    await new ImageSetsRepo(server.db).update(set, { collaboration_type: 1 });
    const product = await f.product(team, admin, [set]);
    const type = await f.annotationType(product, {
      name: 'Cell',
      vector_type: VectorType.box,
      color_code: '#E6194B',
      default_width: 50,
      default_height: 50,
    });
    const upload = await uploadImages(server.baseUrl, admin, set, [
      { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
    ]);
    image = upload.body.results[0]?.id ?? 0;
    await vi.waitFor(
      async () => {
        const state = (
          await new ApiClient(server.baseUrl, admin).get<{ state: string }>(`/images/images/${image}/`)
        ).body.state;
        if (state !== 'ready') throw new Error(`the slide is ${state}, not ready`);
      },
      { timeout: 60_000, interval: 100 },
    );
    // In a blind set each REST write goes to its author's own copy.
    const box = (x: number) => ({
      image,
      annotation_type: type,
      vector: { x1: x, y1: 100, x2: x + 80, y2: 180 },
    });
    const posted = [
      await new ApiClient(server.baseUrl, readerA).post('/annotations/annotations/', [box(100), box(300)]),
      await new ApiClient(server.baseUrl, readerB).post('/annotations/annotations/', [box(500)]),
    ];
    expect(posted.map((p) => p.status)).toEqual([201, 201]);
  }, 120_000);

  it("shows a reader only their own copy, and no other reader's", async () => {
    const page = await openWorkspace(await browser.newContext(), server, readerA, image);
    await expect.poll(() => localCount(page)).toBe(2);
    // Another reader's copy is refused to them (server rules S1/A3): 404.
    const other = await page.request.get(
      `${server.baseUrl}/api/v1/images/images/${image}/annotation_document/?user=${readerB.id}`,
    );
    expect(other.status()).toBe(404);
    await page.waitForLoadState('networkidle');
    expect(await page.getByLabel("Readers' copies").count()).toBe(0);
    await page.context().close();
  });

  it("shows the team admin two readers' copies side by side, merged, or one", async () => {
    const page = await openWorkspace(await browser.newContext(), server, admin, image);
    expect(await localCount(page)).toBe(0);
    const picker = page.getByLabel("Readers' copies");
    await picker.selectOption({ label: 'All readers side by side' });
    await expect
      .poll(async () => (await readerView(page)).counts)
      .toEqual({ [readerA.username]: 2, [readerB.username]: 1 });
    await expect.poll(async () => (await readerView(page)).drawn).toBe(3);
    const sideBySide = await readerView(page);
    expect(sideBySide.colors.every((c) => c !== null)).toBe(true);
    expect(new Set(sideBySide.colors).size).toBe(2);
    await saveScreenshot(page, 'workspace-blind-side-by-side');

    await picker.selectOption({ label: 'All readers merged' });
    await expect.poll(async () => (await readerView(page)).colors).toEqual([null, null]);

    await picker.selectOption({ label: readerB.username });
    await expect.poll(async () => (await readerView(page)).counts).toEqual({ [readerB.username]: 1 });

    // The admin's own box goes to their own copy; the reader's copy shown is unchanged.
    await page.keyboard.press('1');
    await click(page, { x: 900, y: 400 });
    await expect.poll(() => localCount(page)).toBe(1);
    expect((await readerView(page)).counts).toEqual({ [readerB.username]: 1 });
    const own = await new ApiClient(server.baseUrl, readerB).get<{ count: number }>(
      `/annotations/annotations/?image=${image}`,
    );
    expect(own.body.count).toBe(1);
    await page.context().close();
  });

  it("[G4] shows the team admin the readers' copies of an image with regions, where the view is", async () => {
    const regionImage = await uploadReadyImage(server.baseUrl, admin, set, {
      name: 'regions.svs',
      bytes: await slide('synthetic-aperio-3000x2000.svs'),
    });
    // Regions of 1,024 px before any annotation (G1).
    await server.db.query('UPDATE images SET annotation_region_size = 1024 WHERE id = $1', [regionImage]);
    const type = (
      await server.db.query<{ id: number }>("SELECT id FROM annotation_types WHERE name = 'Cell'")
    )[0]?.id;
    const box = (x: number, y: number) => ({
      image: regionImage,
      annotation_type: type,
      vector: { x1: x, y1: y, x2: x + 80, y2: y + 80 },
    });
    const posted = [
      await new ApiClient(server.baseUrl, readerA).post('/annotations/annotations/', [
        box(100, 100),
        box(300, 100),
      ]),
      // Reader B's second box lies in region 2.1, far from the view the admin opens.
      await new ApiClient(server.baseUrl, readerB).post('/annotations/annotations/', [
        box(500, 100),
        box(2500, 1500),
      ]),
    ];
    expect(posted.map((p) => p.status)).toEqual([201, 201]);

    const context = await browser.newContext();
    const page = await openPage(context, server, admin, `/images/${regionImage}?view=0,0,1000,1000`);
    await page.getByLabel("Readers' copies").selectOption({ label: 'All readers side by side' });
    await expect
      .poll(async () => (await readerView(page)).counts, { timeout: 15_000 })
      .toEqual({ [readerA.username]: 2, [readerB.username]: 1 });
    await expect.poll(async () => (await readerView(page)).drawn).toBe(3);
    await context.close();
  });

  it("[B1] reloads a reader's open workspace when the set leaves blind mode, with everyone's work", async () => {
    const page = await openWorkspace(await browser.newContext(), server, readerA, image);
    expect(await localCount(page)).toBe(2);
    // The browser stores its copy of the document (it would come back into a fresh copy, should the
    // set become blind again, if it were kept after the switch).
    const storedCopies = (id: number) =>
      page.evaluate(
        async (prefix) =>
          (await indexedDB.databases()).filter((d) => d.name?.startsWith(prefix) === true).length,
        `tessera:image.${id}.user.`,
      );
    await expect.poll(() => storedCopies(image)).toBe(1);
    const switched = await new ApiClient(server.baseUrl, admin).patch(`/images/image_sets/${set}/`, {
      collaboration_type: 2,
    });
    expect(switched.status).toBe(200);
    // Two of reader A, one of reader B, one of the admin: all in the shared document now.
    await expect.poll(() => localCount(page), { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.getByLabel("Readers' copies").count()).toBe(0);
    // The browser's stored copy of the reader's document went with it.
    await expect.poll(() => storedCopies(image)).toBe(0);
    // Second opinion: reader A verifies reader B's annotation by the pk REST lists.
    const api = new ApiClient(server.baseUrl, readerA);
    const listed = await api.get<{ results: { id: number; user: number }[] }>(
      `/annotations/annotations/?image=${image}&limit=100`,
    );
    const theirs = listed.body.results.find((a) => a.user === readerB.id);
    expect(theirs).toBeDefined();
    const verified = await api.post('/annotations/verifications/', {
      annotation: theirs?.id,
      verified: true,
    });
    expect(verified.status).toBe(201);
    await page.context().close();
  });
});
