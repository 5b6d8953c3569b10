// Plugins in the browser, against the real server with the test plugin folder: a set admin enables a
// plugin on the set page; in the workspace its panel (an ES module served by the server) mounts, its
// job runs from the Algorithms panel with a live progress bar, and its proposals arrive in the view.
import { fileURLToPath } from 'node:url';
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
    await saveScreenshot(page, 'plugin-jobs');
  }, 120_000);
});
