// Second opinion in headless Chromium against the real server, tiler and PostgreSQL: a reviewer works
// a set's review queue with the keyboard only (E next, F accept, Shift+F reject), across two images,
// and the verdicts reach the REST API's verifications and the queue.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page as ListPage, RestAnnotation, RestVerification, ReviewItem } from '@tessera/shared';
import { useBrowser, saveScreenshot } from './support/browser.js';
import { openWorkspace } from './support/workspace.js';
import { Factories, type TestUser } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';
import { slide, uploadImages } from '../support/upload.js';

interface ReviewWindow {
  tesseraWorkspace?: {
    data: { image: { id: number } };
    getSnapshot(): { selection: ReadonlySet<string>; message: string | null };
  };
}

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

interface Scene {
  creator: TestUser;
  reviewer: TestUser;
  /** A second reviewer, who disagrees with the first over REST. */
  other: TestUser;
  set: number;
  images: [number, number];
  /** The creator's annotations in the order the queue gives them. */
  queued: RestAnnotation[];
  /** The reviewer's own annotation (never in their queue). */
  own: RestAnnotation;
}

let scene: Scene | undefined;
const s = (): Scene => {
  if (scene === undefined) throw new Error('the scene exists only inside tests');
  return scene;
};

async function setUp(): Promise<Scene> {
  const f = new Factories(server.db);
  const [creator, reviewer, other] = [await f.user(), await f.user(), await f.user()];
  const team = await f.team({ admins: [creator], members: [reviewer, other] });
  const set = await f.imageSet(team, creator, { collaboration_type: 2, required_verifications: 1 });
  const product = await f.product(team, creator, [set]);
  const box = await f.annotationType(product, { name: 'Cell', vector_type: 1 });
  const upload = await uploadImages(server.baseUrl, creator, set, [
    { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
    { name: 'boxes.tiff', bytes: await slide('openslide-python-boxes.tiff') },
  ]);
  expect(upload.status).toBe(201);
  const images = upload.body.results.map((r) => r.id).sort((a, b) => a - b) as [number, number];
  const api = new ApiClient(server.baseUrl, creator);
  await vi.waitFor(
    async () => {
      for (const image of images) {
        const state = (await api.get<{ state: string }>(`/images/images/${image}/`)).body.state;
        if (state !== 'ready') throw new Error(`image ${image} is ${state}, not ready`);
      }
    },
    { timeout: 60_000, interval: 100 },
  );
  const boxAt = async (by: TestUser, image: number, x: number, y: number, size = 60) =>
    (
      await new ApiClient(server.baseUrl, by).post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: box,
        image,
        vector: { x1: x, y1: y, x2: x + size, y2: y + size },
      })
    ).body;
  // Created out of order: the queue orders by image, then left to right in the top band.
  const second = await boxAt(creator, images[0], 600, 200);
  const third = await boxAt(creator, images[1], 5, 5, 20); // that image is 37 pixels wide
  const first = await boxAt(creator, images[0], 200, 200);
  const own = await boxAt(reviewer, images[0], 400, 200);
  return { creator, reviewer, other, set, images, queued: [first, second, third], own };
}

/** The ids the page's workspace has selected, once its image is `image`. */
function selectionOn(page: Page, image: number): Promise<string[] | null> {
  return page.evaluate((wanted) => {
    const w = (window as ReviewWindow).tesseraWorkspace;
    if (w?.data.image.id !== wanted) return null;
    return [...w.getSnapshot().selection];
  }, image);
}

describe.skipIf(lacking('chromium', 'openslide'))('second opinion in the workspace', () => {
  let page: Page;
  beforeAll(async () => {
    scene = await setUp();
    page = await openWorkspace(await browser.newContext(), server, s().reviewer, s().images[0]);
  }, 120_000);

  it('works the queue with the keyboard only, across images, and the verdicts reach REST', async () => {
    const [first, second, third] = s().queued as [RestAnnotation, RestAnnotation, RestAnnotation];
    await page.keyboard.press('e');
    await expect.poll(() => selectionOn(page, s().images[0])).toEqual([first.unique_identifier]);
    await page.keyboard.press('f');
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Verified');

    await page.keyboard.press('e');
    await expect.poll(() => selectionOn(page, s().images[0])).toEqual([second.unique_identifier]);
    await page.keyboard.press('Shift+F');
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Rejected');
    await saveScreenshot(page, 'review-verdicts');

    // The reviewer's own annotation is skipped: the next one is on the other image.
    await page.keyboard.press('e');
    await page.waitForURL(`**/images/${s().images[1]}?annotation=${third.unique_identifier}`);
    await expect
      .poll(() => selectionOn(page, s().images[1]), { timeout: 30_000 })
      .toEqual([third.unique_identifier]);
    await page.keyboard.press('f');
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Verified');

    await page.keyboard.press('e');
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'needs your opinion' }).count())
      .toBe(1);
    await expect.poll(() => page.getByTestId('review-needed').textContent()).toContain('0 in the set');

    const api = new ApiClient(server.baseUrl, s().creator);
    await expect
      .poll(async () => {
        const list = await api.get<ListPage<RestVerification>>(
          `/annotations/verifications/?user=${s().reviewer.id}&limit=100`,
        );
        return list.body.results
          .map((v) => [v.annotation, v.verified])
          .sort((a, b) => Number(a[0]) - Number(b[0]));
      })
      .toEqual(
        [
          [first.id, true],
          [second.id, false],
          [third.id, true],
        ].sort((a, b) => Number(a[0]) - Number(b[0])),
      );
    const queue = await new ApiClient(server.baseUrl, s().reviewer).get<ListPage<ReviewItem>>(
      `/images/image_sets/${s().set}/review_queue/`,
    );
    expect(queue.body.count).toBe(0);
    const creatorsQueue = await api.get<ListPage<ReviewItem>>(`/images/image_sets/${s().set}/review_queue/`);
    expect(creatorsQueue.body.results.map((i) => i.annotation)).toEqual([s().own.id]);
  });

  it('lists a dispute on the set page, whose link opens the workspace at the annotation', async () => {
    const [first] = s().queued as [RestAnnotation];
    const rejected = await new ApiClient(server.baseUrl, s().other).post('/annotations/verifications/', {
      annotation: first.id,
      verified: false,
    });
    expect(rejected.status).toBe(201);
    await page.goto(`${server.baseUrl}/sets/${s().set}`);
    await expect.poll(() => page.getByTestId('review-summary').textContent()).toContain('1 disputed');
    const disputes = page.getByRole('table', { name: 'Disputed annotations' });
    await expect.poll(() => disputes.textContent()).toContain(`✓ ${s().reviewer.username}`);
    await expect.poll(() => disputes.textContent()).toContain(`✗ ${s().other.username}`);
    await saveScreenshot(page, 'review-disputes');
    await disputes.getByRole('link').click();
    await expect
      .poll(() => selectionOn(page, s().images[0]), { timeout: 30_000 })
      .toEqual([first.unique_identifier]);
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Disputed');
  });
});
