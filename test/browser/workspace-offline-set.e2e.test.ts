// Offline across a set: a session keeps the set's images for offline work, goes offline, moves
// between three images and reloads with edits on each (leaving with unsent changes asks first), and
// on reconnecting every image's edits reach the server, the other images' in the background. Sign-out
// deletes the user's cached REST answers and tiles.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import {
  annotationsOnServer,
  click,
  localCount,
  openWorkspace,
  setUpWorkspace,
  syncState,
  viewerOpen,
} from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';
import { slide, uploadImages } from '../support/upload.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);
/** The set's three images in id order (the workspace's previous/next order), with their sizes. */
let images: { id: number; width: number; height: number }[] = [];

beforeAll(async () => {
  const upload = await uploadImages(server.baseUrl, fx().member, fx().set, [
    { name: 'boxes.tiff', bytes: await slide('openslide-python-boxes.tiff') },
    { name: 'small.svs', bytes: await slide('openslide-python-small.svs') },
  ]);
  expect(upload.status).toBe(201);
  const api = new ApiClient(server.baseUrl, fx().member);
  const ids = [fx().image, ...upload.body.results.map((r) => r.id)].sort((a, b) => a - b);
  images = [];
  for (const id of ids) {
    const image = await vi.waitFor(
      async () => {
        const body = (
          await api.get<{ state: string; width: number; height: number }>(`/images/images/${id}/`)
        ).body;
        if (body.state !== 'ready') throw new Error(`image ${id} is ${body.state}`);
        return body;
      },
      { timeout: 60_000, interval: 100 },
    );
    images.push({ id, width: image.width, height: image.height });
  }
}, 120_000);

/** Waits until the page shows image `id` with its viewer open. */
async function showing(page: Page, id: number): Promise<void> {
  await page.waitForURL(`**/images/${id}`);
  // The previous image's workspace may still be on the window for a moment.
  await page.waitForFunction(
    (which) =>
      (window as unknown as { tesseraWorkspace?: { data: { image: { id: number } } } }).tesseraWorkspace?.data
        .image.id === which,
    id,
    { timeout: 15_000 },
  );
  await viewerOpen(page);
}

/** Draws a default-size box at the middle of image `i` (shown on `page`), and waits for it locally. */
async function drawBox(page: Page, i: number, before: number): Promise<void> {
  const image = images[i];
  if (image === undefined) throw new Error(`no image ${i}`);
  await page.keyboard.press('1');
  await click(page, { x: Math.round(image.width / 2), y: Math.round(image.height / 2) });
  await expect
    .poll(() => localCount(page), { message: `the box on image ${i}`, timeout: 10_000 })
    .toBe(before + 1);
}

const cacheNames = (page: Page) => page.evaluate(async () => (await caches.keys()).sort());

describe.skipIf(lacking('chromium', 'openslide'))('offline work across a set', () => {
  it('moves and reloads offline across three images with edits on each, then merges them all', async () => {
    const context = await browser.newContext();
    const page = await openWorkspace(context, server, fx().member2, images[0]?.id ?? 0);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 10_000,
    });
    const onServer = await Promise.all(images.map((i) => annotationsOnServer(server, fx(), i.id)));
    const start = onServer.map((list) => list.length);

    await page.getByRole('button', { name: 'Keep the other 2 images for offline work' }).click();
    await expect
      .poll(() => page.getByTestId('keep-offline-state').textContent(), { timeout: 30_000 })
      .toBe('2 of 2 kept');
    // REST answers and the tiles viewed are cached under the signed-in user's name only.
    const names = await cacheNames(page);
    expect(names).toContain(`tessera-user.${fx().member2.id}.api`);
    expect(names).toContain(`tessera-user.${fx().member2.id}.tiles`);
    expect(names.filter((n) => n.startsWith('tessera-user.') && !n.includes(`.${fx().member2.id}.`))).toEqual(
      [],
    );

    await context.setOffline(true);
    await expect.poll(() => syncState(page), { message: 'offline', timeout: 10_000 }).toBe('offline');
    await drawBox(page, 0, start[0] ?? 0);
    await page.getByRole('link', { name: 'Next →' }).click();
    await showing(page, images[1]?.id ?? 0);
    await drawBox(page, 1, start[1] ?? 0);
    await page.getByRole('link', { name: 'Next →' }).click();
    await showing(page, images[2]?.id ?? 0);
    await drawBox(page, 2, start[2] ?? 0);
    await expect.poll(() => page.getByTestId('pending-work').locator('li').count()).toBe(3);
    await saveScreenshot(page, 'workspace-offline-set');

    // Leaving with unsent changes asks first; the reload then shows the work, offline.
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.accept();
      });
    });
    await page.reload();
    expect(await asked).toBe('beforeunload');
    await showing(page, images[2]?.id ?? 0);
    await expect.poll(() => localCount(page), { message: 'the box after reload' }).toBe((start[2] ?? 0) + 1);
    await page.getByRole('link', { name: '← Previous' }).click();
    await showing(page, images[1]?.id ?? 0);
    await expect.poll(() => localCount(page), { message: 'image 1 offline' }).toBe((start[1] ?? 0) + 1);
    expect((await annotationsOnServer(server, fx(), images[1]?.id)).length).toBe(start[1]);

    await context.setOffline(false);
    for (const [i, image] of images.entries()) {
      await expect
        .poll(async () => (await annotationsOnServer(server, fx(), image.id)).length, {
          message: `image ${i}'s box on the server`,
          timeout: 30_000,
        })
        .toBe((start[i] ?? 0) + 1);
    }
    await expect.poll(() => page.getByTestId('pending-work').count(), { timeout: 10_000 }).toBe(0);

    // Sign-out: the user's caches and kept session go; the app shell stays.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    const left = await cacheNames(page);
    expect(left.filter((n) => n.startsWith('tessera-user.') || n === 'tessera-session')).toEqual([]);
    expect(left.some((n) => n.startsWith('workbox-precache'))).toBe(true);
    await context.close();
  });
});
