// The browser client's shell and pages in headless Chromium against a real server, tiler and database:
// sign-in, the image sets with thumbnails, states and counts, and an admin's settings (upload with
// progress, annotation types, collaboration mode, members). The account page: pages-account.test.ts.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Factories, type TestUser } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { slide, slideFile, uploadImages } from '../support/upload.js';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { signedIn, unlabelledControls } from './support/pages.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

interface ImageJson {
  id: number;
  name: string;
  state: string;
  failure_reason: string | null;
}

let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let team: number;
let setId: number;
let readyImage: ImageJson;
let failedImage: ImageJson;

/** Waits until no image of the set is processing; answers the images. */
async function settled(api: ApiClient, ids: number[]): Promise<ImageJson[]> {
  return vi.waitFor(
    async () => {
      const { body } = await api.get<{ results: ImageJson[] }>(`/images/images/?id__in=${ids.join(',')}`);
      if (body.results.some((image) => image.state === 'processing'))
        throw new Error('images still processing');
      return body.results;
    },
    { timeout: 60_000, interval: 100 },
  );
}

beforeAll(async () => {
  const factories = new Factories(server.db);
  admin = await factories.user({ username: 'dr-admin' });
  member = await factories.user({ username: 'dr-member' });
  outsider = await factories.user({ username: 'dr-outsider' });
  team = await factories.team({ name: 'Pathology Lab', admins: [admin], members: [member] });
  setId = await factories.imageSet(team, admin, { name: 'Lymph node metastases' });
  const product = await factories.product(team, admin, [setId]);
  const type = await factories.annotationType(product, { name: 'Mitosis', color_code: '#2266AA' });
  const upload = await uploadImages(server.baseUrl, admin, setId, [
    { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
    { name: 'openslide-python-unopenable.tiff', bytes: await slide('openslide-python-unopenable.tiff') },
  ]);
  expect(upload.status).toBe(201);
  const api = new ApiClient(server.baseUrl, admin);
  const images = await settled(
    api,
    upload.body.results.map((r) => r.id),
  );
  const ready = images.find((i) => i.state === 'ready');
  const failed = images.find((i) => i.state === 'failed');
  if (!ready || !failed) throw new Error(`unexpected states: ${JSON.stringify(images)}`);
  readyImage = ready;
  failedImage = failed;
  for (const x of [100, 300]) {
    const created = await api.post('/annotations/annotations/', {
      annotation_type: type,
      image: ready.id,
      vector: { x1: x, y1: x, x2: x + 50, y2: x + 50 },
    });
    expect(created.status).toBe(201);
  }
});

describe.skipIf(lacking('chromium', 'openslide'))('sign-in', () => {
  it('shows the server’s message for a wrong password, and lands on the image sets with the right one', async () => {
    const expected = await new ApiClient(server.baseUrl).post<{ detail: string }>('/auth/login/', {
      username: admin.username,
      password: 'wrong password',
    });
    expect(expected.status).toBe(401);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login$/);
    // Keyboard only: the user name field has the focus, Tab moves on, Enter submits.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('login-username');
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(expected.body.detail);
    expect(await page.getByLabel('User name').inputValue()).toBe(admin.username);
    await saveScreenshot(page, 'pages-login-failed');

    await page.getByLabel('Password').fill(admin.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Image sets', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByTestId('username').textContent()).toBe(admin.username);
    await page.getByRole('heading', { name: 'Pathology Lab' }).waitFor();
    const row = page.getByRole('row', { name: /Lymph node metastases/ });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('2');
    await saveScreenshot(page, 'pages-home');

    // Sign-out ends the server session too: the API no longer knows the cookie.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session/')).status);
    expect(session).toBe(401);
  });

  it('sends a signed-out visitor of a deep link to sign-in and back there afterwards', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.baseUrl}/sets/${setId}`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('User name').fill(member.username);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Lymph node metastases', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/sets/${setId}`);
  });
});

describe.skipIf(lacking('chromium', 'openslide'))('the image sets page', () => {
  it('lets team admins create an image set, and members only browse', async () => {
    const page = await signedIn(browser, server.baseUrl, admin, '/');
    await page.getByLabel('New image set in Pathology Lab').fill('Mitotic figures 2026');
    await page.getByRole('button', { name: 'Create' }).click();
    // Create leads to the new set's page.
    await page.getByRole('heading', { name: 'Mitotic figures 2026', level: 1 }).waitFor();
    const api = new ApiClient(server.baseUrl, admin);
    const sets = await api.get<{ results: { id: number; team: number }[] }>(
      '/images/image_sets/?name=Mitotic%20figures%202026',
    );
    expect(sets.body.results).toEqual([expect.objectContaining({ team })]);
    expect(new URL(page.url()).pathname).toBe(`/sets/${sets.body.results[0]?.id}`);
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Mitotic figures 2026', exact: true }).waitFor();
    // A name the server refuses (blank after trimming) shows its message.
    await page.getByLabel('New image set in Pathology Lab').fill('   ');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('alert').filter({ hasText: 'name' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);

    const memberPage = await signedIn(browser, server.baseUrl, member, '/');
    await memberPage.getByRole('link', { name: 'Mitotic figures 2026', exact: true }).waitFor();
    expect(await memberPage.getByRole('button', { name: 'Create' }).count()).toBe(0);
    expect(await memberPage.getByRole('link', { name: /^Settings of / }).count()).toBe(0);
  });
});

describe.skipIf(lacking('chromium', 'openslide'))('an image set', () => {
  it('shows its images as thumbnails with annotation counts, and why an image failed', async () => {
    const page = await signedIn(browser, server.baseUrl, member, `/sets/${setId}`);
    await page.getByText('2 images · 2 annotations · Collaborative').waitFor();
    const card = page.locator(`[data-image-id="${readyImage.id}"]`);
    await expect.poll(() => card.getByTestId('annotation-count').textContent()).toBe('2 annotations');
    const thumbnail = card.getByRole('img', { name: `Thumbnail of ${readyImage.name}` });
    await expect
      .poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    // The workspace engineer's contract: each image links to /images/<id>.
    expect(await card.getByRole('link').getAttribute('href')).toBe(`/images/${readyImage.id}`);

    const failed = page.locator(`[data-image-id="${failedImage.id}"]`);
    expect(failedImage.failure_reason).toBeTruthy();
    expect(await failed.getByTestId('failure-reason').textContent()).toContain(failedImage.failure_reason);
    expect(await failed.getByRole('link').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await saveScreenshot(page, 'pages-image-set');

    // Keyboard: the card is a link in the tab order; Enter opens the workspace in the shell.
    await card.getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.baseUrl}/images/${readyImage.id}`);
    await page.getByText('Loading the workspace…').waitFor({ state: 'detached' });
    expect(await page.getByTestId('username').textContent()).toBe(member.username);
    await page.goto(`${server.baseUrl}/images/0`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  });

  it('offers its settings to team admins only', async () => {
    const page = await signedIn(browser, server.baseUrl, member, `/sets/${setId}`);
    await page.getByRole('heading', { name: 'Lymph node metastases', level: 1 }).waitFor();
    await page.locator(`[data-image-id="${readyImage.id}"]`).waitFor();
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/sets/${setId}/settings`);
    await page.getByText('Only the team’s admins change the settings of this image set.').waitFor();
    expect(await page.getByRole('button', { name: 'Upload' }).count()).toBe(0);

    const adminPage = await signedIn(browser, server.baseUrl, admin, `/sets/${setId}`);
    await adminPage.getByRole('link', { name: 'Settings' }).click();
    await adminPage.getByRole('heading', { name: 'Upload images' }).waitFor();
  });

  it('is not found for someone outside the team', async () => {
    const page = await signedIn(browser, server.baseUrl, outsider, `/sets/${setId}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not found/i);
    await page.goto(`${server.baseUrl}/sets/not-a-number`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  });
});

describe.skipIf(lacking('chromium', 'openslide'))('image-set settings', () => {
  it('uploads a slide with visible progress and shows it becoming ready', async () => {
    const page = await signedIn(browser, server.baseUrl, admin, `/sets/${setId}/settings`);
    // Slow the upload down (Chromium's own network emulation) so the progress is observable.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1_000_000,
    });
    await page.getByLabel(/^Files/).setInputFiles(slideFile('synthetic-aperio-3000x2000.svs'));
    await page.getByRole('button', { name: 'Upload' }).click();
    const progress = page.getByRole('progressbar', { name: 'Upload of synthetic-aperio-3000x2000.svs' });
    await expect
      .poll(async () => Number(await progress.getAttribute('value')), { timeout: 10_000, interval: 50 })
      .toBeGreaterThan(0);
    const midway = Number(await progress.getAttribute('value'));
    expect(midway).toBeLessThan(100);
    await saveScreenshot(page, 'pages-upload-progress');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const row = page.getByTestId('upload-row').filter({ hasText: 'synthetic-aperio-3000x2000.svs' });
    await row.getByText('ready').waitFor({ timeout: 60_000 });
    expect(Number(await progress.getAttribute('value'))).toBe(100);
    const name = await row.getByRole('link').textContent();
    const api = new ApiClient(server.baseUrl, admin);
    const listed = await api.get<{ results: ImageJson[] }>(`/images/images/?image_set=${setId}&name=${name}`);
    expect(listed.body.results.map((i) => i.state)).toEqual(['ready']);
    await saveScreenshot(page, 'pages-upload-ready');

    // The same bytes again are skipped, with the server's reason.
    await page.getByLabel(/^Files/).setInputFiles(slideFile('synthetic-aperio-3000x2000.svs'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(/^Skipped: /).waitFor();
  });

  it('adds and edits annotation types, and shows the server’s message for a bad value', async () => {
    const page = await signedIn(browser, server.baseUrl, admin, `/sets/${setId}/settings`);
    const form = page.getByRole('form', { name: /^New annotation type for / });
    await form.getByLabel('Name').fill('Tumour region');
    await form.getByLabel('Shape').selectOption({ label: 'Polygon' });
    await form.getByLabel('Colour').fill('#33aa55');
    await form.getByLabel('Default width').fill('120');
    await form.getByLabel('Default height').fill('80');
    await form.getByLabel('Sort order').fill('1');
    await form.getByRole('button', { name: 'Add type' }).click();
    const row = page.getByTestId('annotation-type-row').filter({ hasText: 'Tumour region' });
    await row.waitFor();
    const api = new ApiClient(server.baseUrl, admin);
    const types = await api.get<{ results: Record<string, unknown>[] }>(
      '/annotations/annotation_types/?name=Tumour%20region',
    );
    expect(types.body.results).toEqual([
      expect.objectContaining({
        vector_type: 5,
        color_code: '#33aa55',
        default_width: 120,
        default_height: 80,
        sort_order: 1,
      }),
    ]);

    // Edit in place: the sort order moves it, the colour changes.
    await row.getByLabel('Colour of Tumour region').fill('#112233');
    await row.getByLabel('sort order of Tumour region').fill('-5');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => page.getByTestId('annotation-type-row').first().textContent())
      .toContain('Tumour region');
    const edited = await api.get<{ results: Record<string, unknown>[] }>(
      '/annotations/annotation_types/?name=Tumour%20region',
    );
    expect(edited.body.results[0]).toMatchObject({ color_code: '#112233', sort_order: -5 });

    // A width of 0 is refused by the server; its message is shown beside the row.
    const widthField = page
      .getByTestId('annotation-type-row')
      .filter({ hasText: 'Tumour region' })
      .getByLabel('default width of Tumour region');
    await widthField.fill('0');
    await page
      .getByTestId('annotation-type-row')
      .filter({ hasText: 'Tumour region' })
      .getByRole('button', { name: 'Save' })
      .click();
    await page.getByRole('alert').filter({ hasText: 'default_width' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await saveScreenshot(page, 'pages-settings');
  });

  it('offers another product of the team on this set, and takes it off again', async () => {
    const productId = await new Factories(server.db).product(team, admin, []);
    const api = new ApiClient(server.baseUrl, admin);
    const product = async () =>
      (await api.get<{ name: string; imagesets: number[] }>(`/administration/products/${productId}/`)).body;
    const { name } = await product();
    const page = await signedIn(browser, server.baseUrl, admin, `/sets/${setId}/settings`);
    await page.getByRole('button', { name: `Use on this set : ${name}` }).click();
    await page.getByRole('heading', { name, level: 3 }).waitFor();
    expect((await product()).imagesets).toEqual([setId]);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Remove from this set : ${name}` }).click();
    await page.getByRole('button', { name: `Use on this set : ${name}` }).waitFor();
    expect((await product()).imagesets).toEqual([]);
  });

  it('changes the collaboration mode and the team’s members', async () => {
    const page = await signedIn(browser, server.baseUrl, admin, `/sets/${setId}/settings`);
    await page.getByRole('radio', { name: /Blind/ }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const api = new ApiClient(server.baseUrl, admin);
    const set = await api.get<{ collaboration_type: number }>(`/images/image_sets/${setId}/`);
    expect(set.body.collaboration_type).toBe(1);

    await page.getByLabel('Add user').fill('nobody-by-that-name');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('There is no user named “nobody-by-that-name”.').waitFor();
    await page.getByLabel('Add user').fill(outsider.username);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('cell', { name: outsider.username, exact: true }).waitFor();
    const memberships = await api.get<{ results: { user: number; is_admin: boolean }[] }>(
      `/users/team_membership/?team=${team}&user=${outsider.id}`,
    );
    expect(memberships.body.results).toEqual([expect.objectContaining({ is_admin: false })]);
    await page.getByLabel(`${outsider.username} is a team admin`).check();
    await expect
      .poll(
        async () =>
          (
            await api.get<{ results: { is_admin: boolean }[] }>(
              `/users/team_membership/?team=${team}&user=${outsider.id}`,
            )
          ).body.results[0]?.is_admin,
      )
      .toBe(true);
  });
});
