// Issue 7's first-run path in headless Chromium: the built CLI's `start` on an empty data directory
// (embedded PostgreSQL, demo data on by default), sign in with the credentials it printed, read the
// first page's three things to try, open the demo slide, see its annotations drawn, draw one, find it
// over REST, and stop with SIGTERM. With TESSERA_GUIDE_SCREENSHOTS=1 it also writes the user guide's
// screenshots into docs/images/ (normal runs write only to test-artifacts/).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Image, Page as ApiPage, RestAnnotation } from '@tessera/shared';
import { useBrowser } from './support/browser.js';
import { guideScreenshot } from './support/guide.js';
import { click, drag, syncState } from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { startTessera, type TesseraProcess } from '../support/process.js';
import { lacking } from '../support/prerequisites.js';

/** The guide's screenshots: one window-sized PNG each, small enough to commit. */
const VIEWPORT = { width: 1280, height: 800 };

interface FirstRunWindow {
  tesseraWorkspace?: {
    viewer: {
      transform(): unknown;
      flyTo(rect: { minX: number; minY: number; maxX: number; maxY: number }, immediately: boolean): void;
    } | null;
    index: { size: number };
    renderer: { lastFrame: { mode: string; shapes: number } };
  };
}

/** A screenshot for failed runs and, with TESSERA_GUIDE_SCREENSHOTS=1, for the guide. */
function shoot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }) {
  return guideScreenshot(page, 'first-run', name, clip);
}

/** The terminal's output as the person who ran `npm start` sees it, as a picture for the guide. */
async function terminalPicture(page: Page, output: string): Promise<void> {
  await page.setContent('<pre id="terminal"></pre>');
  await page.evaluate((text) => {
    const pre = document.getElementById('terminal');
    if (pre === null) return;
    pre.textContent = `$ npm start\n${text}`;
    pre.style.display = 'inline-block';
    Object.assign(pre.style, {
      margin: '0',
      padding: '16px',
      width: '1280px',
      boxSizing: 'border-box',
      background: '#1e1e1e',
      color: '#e6e6e6',
      font: '14px/1.5 monospace',
      whiteSpace: 'pre-wrap',
    });
    document.body.style.margin = '0';
  }, output);
  const box = await page.locator('#terminal').boundingBox();
  await shoot(page, 'terminal', box ?? undefined);
}

describe.skipIf(lacking('chromium', 'openslide', 'ffmpeg'))('the first run in the browser', () => {
  const browser = useBrowser();
  const running: TesseraProcess[] = [];
  const contexts: BrowserContext[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('starts, signs in with the printed credentials, shows the demo slide annotated, takes a new box', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-first-run-browser-'));
    const { p: server, url } = await startTessera(dataDir, running, { TESSERA_JOB_POLL_MS: '200' });
    const [, username = '', password = ''] = await server.waitFor(
      /Sign in as "([^"]+)" with password: (\S+)/,
    );
    await server.waitFor(/Demo data ready in [\d.]+ s/, 240_000);
    const api = new ApiClient(url, { username, password });

    const context = await browser.browser.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    const page = await context.newPage();
    // The lines meant for the person at the terminal; the JSON log lines (pino) are left out.
    const printed = server
      .output()
      .split('\n')
      .filter((line) => !line.startsWith('{'))
      .join('\n');
    await terminalPicture(page, printed);

    // The printed address sends a stranger to the sign-in page.
    await page.goto(`${url}/`);
    await page.getByLabel('User name').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/\S/);
    expect(new URL(page.url()).pathname).toBe('/login'); // a wrong password signs nobody in
    await page.getByLabel('Password').fill(password);
    await shoot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${username}`).waitFor();

    // The first page explains what to try and leads to the demo slide.
    const welcome = page.getByRole('region', { name: 'Welcome: three things to try' });
    await welcome.waitFor();
    const steps = welcome.getByRole('listitem');
    expect(await steps.count()).toBe(3);
    expect(await steps.nth(0).textContent()).toMatch(/Open the slide and zoom in/);
    expect(await steps.nth(1).textContent()).toMatch(/annotations by class/);
    expect(await steps.nth(2).textContent()).toMatch(/Make an annotation/);
    const demo = page.getByRole('region', { name: 'Demo', exact: true });
    await expect.poll(() => demo.getByRole('row').count()).toBe(6); // the header and five sets
    await shoot(page, 'demo-team');

    await welcome.getByRole('link', { name: 'Synthetic cytology slide' }).click();
    await page.getByRole('heading', { name: 'Synthetic cytology slide', level: 1 }).waitFor();
    // The image set page polls while the tiler opens the slide; a ready image becomes a link.
    const open = page.getByRole('link', { name: /^Open .*, 3,000 annotations$/ });
    await open.waitFor({ timeout: 240_000 });
    // Its thumbnail, served by the tiler once the slide is open.
    const thumbnail = page.getByRole('img', { name: /^Thumbnail of / });
    // The tiler renders it on first request: under load that takes longer than expect.poll's 1 s default.
    await expect
      .poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await shoot(page, 'image-set');
    await open.click();

    // The workspace: the document synced, all 3,000 cells in the list and drawn on the canvas.
    await page.waitForFunction(
      () => (window as FirstRunWindow).tesseraWorkspace?.viewer?.transform() != null,
      undefined,
      { timeout: 30_000 },
    );
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the document to sync',
        timeout: 30_000,
      })
      .toBe(true);
    await expect.poll(() => page.getByTestId('annotation-total').textContent()).toBe('3000');
    const lastFrame = () =>
      page.evaluate(() => (window as FirstRunWindow).tesseraWorkspace?.renderer.lastFrame);
    // The whole slide at first: every cell drawn as a shape (the heat map starts above 6,000).
    await expect.poll(lastFrame).toEqual({ mode: 'detail', shapes: 3000, layerShapes: 0 });
    // Zoomed to a quarter of the slide's width: cells one by one, and only those in view are drawn.
    await page.evaluate(() =>
      (window as FirstRunWindow).tesseraWorkspace?.viewer?.flyTo(
        { minX: 4096, minY: 2048, maxX: 6144, maxY: 3328 },
        true,
      ),
    );
    await expect
      .poll(async () => {
        const frame = await lastFrame();
        return frame !== undefined && frame.shapes > 0 && frame.shapes < 3000;
      })
      .toBe(true);
    await shoot(page, 'slide-annotations');

    // Make one: digit 1 chooses the first class, a drag draws its box.
    const image = Number(/\/images\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
    expect((await api.get<Image>(`/images/images/${image}/`)).body).toMatchObject({
      width: 16_384,
      height: 8192,
    });
    const firstType = await page.getByRole('button', { name: /key 1$/ }).textContent();
    await page.keyboard.press('1');
    await drag(page, { x: 4500, y: 2400 }, { x: 4620, y: 2510 });
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the new box to be saved',
        timeout: 15_000,
      })
      .toBe(true);
    await expect.poll(() => page.getByTestId('annotation-total').textContent()).toBe('3001');
    await page.keyboard.press('v'); // select it: its handles show where it is
    await click(page, { x: 4560, y: 2455 });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await shoot(page, 'new-annotation');

    // Over REST with the printed credentials (Basic auth): the box, its class and its author.
    const made = async () => {
      const answer = await api.get<ApiPage<RestAnnotation>>(
        `/annotations/annotations/?image=${image}&deleted=false&limit=5000`,
      );
      expect(answer.status).toBe(200);
      return answer.body.results.filter((a) => {
        const v = a.vector ?? {};
        return Math.abs((v['x1'] ?? 0) - 4500) < 4 && Math.abs((v['y2'] ?? 0) - 2510) < 4;
      });
    };
    await expect
      .poll(async () => (await made()).length === 1, { message: 'the box on the server', timeout: 15_000 })
      .toBe(true);
    const [box] = await made();
    expect(box?.vector?.['x2']).toBeCloseTo(4620, -1);
    expect(box?.vector?.['y1']).toBeCloseTo(2400, -1);
    const type = await api.get<{ name: string }>(
      `/annotations/annotation_types/${box?.annotation_type ?? 0}/`,
    );
    expect(type.status).toBe(200);
    expect(firstType).toContain(type.body.name);
    const count = await api.get<ApiPage<unknown>>(`/annotations/annotations/?image=${image}&limit=1`);
    expect(count.body.count).toBe(3001);

    // Hidden once, the welcome panel stays away in this browser.
    await page.goto(`${url}/`);
    await welcome.getByRole('button', { name: 'Hide' }).click();
    await page.reload();
    await demo.waitFor();
    expect(await welcome.count()).toBe(0);

    await context.close();
    contexts.length = 0;
    server.child.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
  }, 480_000);
});
