// Plugins in the browser, against the real server with the test plugin folder: a set admin enables a
// plugin on the set page; in the workspace its panel (an ES module served by the server) mounts, its
// job runs from the Algorithms panel with a live progress bar, and its proposals arrive in the view;
// the overlay its panel exports draws over the image until toggled off, and one that throws is
// switched off with a message.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { openWorkspace, setUpWorkspace } from './support/workspace.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';

const pluginsDir = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
const server = useTestServer({
  client: true,
  tiler: true,
  processing: true,
  env: { TESSERA_PLUGINS_DIR: pluginsDir },
});
const browser = useBrowser();
const fx = setUpWorkspace(server);

/** The fixture overlay's colour as the canvas holds it (r,g,b,alpha). */
const BOX_PIXEL = '255,0,255,255';

/**
 * The annotation canvas's pixel at the top-left corner of a box the fixture overlay last drew inside
 * the canvas (null before it drew one), with how many boxes it drew in that frame.
 */
function boxCorner(page: Page): Promise<{ boxes: number; pixel: string } | null> {
  return page.evaluate(() => {
    const drawn = (window as unknown as { cellCounterOverlay?: { boxes: { x: number; y: number }[] } })
      .cellCounterOverlay;
    const canvas = document.querySelector<HTMLCanvasElement>('.annotation-canvas');
    const ctx = canvas?.getContext('2d');
    if (!drawn || !canvas || !ctx) return null;
    const css = canvas.getBoundingClientRect();
    const box = drawn.boxes.find((b) => b.x >= 0 && b.y >= 0 && b.x < css.width && b.y < css.height);
    if (!box) return null;
    const dpr = canvas.width / css.width;
    const pixel = ctx.getImageData(Math.round(box.x * dpr), Math.round(box.y * dpr), 1, 1).data;
    return { boxes: drawn.boxes.length, pixel: [...pixel].join(',') };
  });
}

describe.skipIf(lacking('chromium', 'openslide'))('plugins in the browser', () => {
  it('a set admin enables a plugin; its panel mounts and its job runs live in the workspace', async () => {
    const context = await browser.newContext();
    const setPage = await context.newPage();
    const login = await setPage.request.post(`${server.baseUrl}/api/v1/auth/login/`, {
      data: { username: fx().member.username, password: fx().member.password },
    });
    expect(login.status()).toBe(200);
    await setPage.goto(`${server.baseUrl}/sets/${fx().set}`);
    const toggle = setPage.getByTestId('plugins-section').getByRole('checkbox', { name: /cell-counter/ });
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await setPage.close();

    const page = await openWorkspace(context, server, fx().member, fx().image);
    const panel = page.getByTestId('plugin-panel-cell-counter');
    await expect.poll(() => panel.textContent()).toContain(`cell counter on image ${fx().image}`);
    await page.getByLabel('Plugin').selectOption({ label: 'fixture-marker' });
    await page.getByRole('button', { name: 'Run on this image' }).click();
    const job = page.getByTestId('plugin-job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    expect(await job.locator('progress').getAttribute('value')).toBe('100');
    await expect
      .poll(() => page.getByTestId('proposal-counts').textContent(), { timeout: 10_000 })
      .toBe('3 pending, 0 accepted, 0 rejected');

    // Its overlay is on at first and boxes each proposal; toggled off, the boxes go; on, they return.
    const overlay = panel.getByRole('checkbox', { name: /marked boxes/ });
    expect(await overlay.isChecked()).toBe(true);
    await expect.poll(() => boxCorner(page)).toEqual({ boxes: 3, pixel: BOX_PIXEL });
    await overlay.uncheck();
    await expect.poll(async () => (await boxCorner(page))?.pixel).not.toBe(BOX_PIXEL);
    await overlay.check();
    await expect.poll(async () => (await boxCorner(page))?.pixel).toBe(BOX_PIXEL);
    // The overlay that throws is switched off and said so; the workspace goes on drawing.
    await expect
      .poll(() => panel.getByRole('alert').allTextContents())
      .toContain('Overlay “broken” failed and was switched off: this overlay always fails');
    const broken = panel.getByRole('checkbox', { name: /broken/ });
    expect([await broken.isChecked(), await broken.isDisabled()]).toEqual([false, true]);
    await saveScreenshot(page, 'plugin-jobs');
  }, 120_000);
});
