// Setting up an image set in the browser: Create leads to the new set with the team's last-used
// annotation types, images are uploaded from the set page (button and drag and drop, with progress),
// each card says its state, its uploaded file name where the viewer may see it, and who worked on
// it; a set without types says so on its page and in the workspace.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Product } from '@tessera/shared';
import { useBrowser } from './support/browser.js';
import { guideScreenshot } from './support/guide.js';
import { signedIn } from './support/pages.js';
import { Factories } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';
import { slideFile, uploadImages } from '../support/upload.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

describe.skipIf(lacking('chromium', 'openslide'))('setting up an image set', () => {
  it('creates a set with the last-used types, uploads by button and by drop, and says who did what', async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const member = await make.user();
    const teamName = `Lab ${admin.username}`;
    const team = await make.team({ admins: [admin], members: [member], name: teamName });
    const older = await make.imageSet(team, admin);
    const product = await make.product(team, admin, [older]);
    const cell = await make.annotationType(product, { vector_type: 1, name: 'Cell' });
    const api = new ApiClient(server.baseUrl, admin);

    const page = await signedIn(browser, server.baseUrl, admin, '/');
    await page.getByLabel(`New image set in ${teamName}`).fill('Fresh set');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Fresh set', level: 1 }).waitFor();
    const setId = Number(/\/sets\/(\d+)$/.exec(page.url())?.[1]);
    const attached = await api.get<Product>(`/administration/products/${product}/`);
    expect(attached.body.imagesets).toEqual([older, setId]);

    // Upload with the button, then by dropping a file on the upload panel.
    await page.getByLabel(/^Files/).setInputFiles(slideFile('openslide-python-boxes.tiff'));
    await page.getByRole('button', { name: 'Upload' }).click();
    const bytes = (await readFile(slideFile('openslide-python-small.svs'))).toString('base64');
    await page.getByTestId('upload-drop').evaluate((zone, base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'openslide-python-small.svs'));
      zone.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    for (const name of ['openslide-python-boxes.tiff', 'openslide-python-small.svs']) {
      const row = page.getByTestId('upload-row').filter({ hasText: name });
      await row.getByText('ready').waitFor({ timeout: 60_000 });
      expect(await row.getByRole('progressbar').getAttribute('value')).toBe('100');
    }
    const cards = page.locator('.image-card');
    await expect.poll(() => cards.count()).toBe(2);
    const boxes = cards.filter({ hasText: 'openslide-python-boxes.tiff' });
    expect(await boxes.getByTestId('original-name').textContent()).toBe('File: openslide-python-boxes.tiff');
    await guideScreenshot(page, 'sets', 'set-upload');

    // Members see pseudonyms only, until the set shows original names; and who worked on an image.
    const image = Number(await boxes.getAttribute('data-image-id'));
    const memberApi = new ApiClient(server.baseUrl, member);
    const made = await memberApi.post('/annotations/annotations/', {
      image,
      annotation_type: cell,
      vector: { x1: 1, y1: 1, x2: 9, y2: 9 },
    });
    expect(made.status).toBe(201);
    const memberPage = await signedIn(browser, server.baseUrl, member, `/sets/${setId}`);
    const memberCard = memberPage.locator(`[data-image-id="${image}"]`);
    await expect
      .poll(() => memberCard.getByTestId('worked-on').textContent())
      .toBe(`By ${member.username} (1)`);
    expect(await memberPage.getByTestId('original-name').count()).toBe(0);
    expect(await memberPage.getByTestId('upload-drop').count()).toBe(0);
    const shown = await api.patch(`/images/image_sets/${setId}/`, { show_original_names: true });
    expect(shown.status).toBe(200);
    await memberPage.reload();
    await expect
      .poll(() => memberCard.getByTestId('original-name').textContent())
      .toBe('File: openslide-python-boxes.tiff');
  });

  it('a set without annotation types says so on its page and in the workspace', async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const team = await make.team({ admins: [admin] });
    const set = await make.imageSet(team, admin);
    const upload = await uploadImages(server.baseUrl, admin, set, [
      { name: 'small.svs', bytes: await readFile(slideFile('openslide-python-small.svs')) },
    ]);
    expect(upload.status).toBe(201);
    const image = upload.body.results[0]?.id ?? 0;

    const page = await signedIn(browser, server.baseUrl, admin, `/sets/${set}`);
    const prompt = page.getByTestId('types-prompt');
    await prompt.waitFor();
    expect(await prompt.getByRole('link').getAttribute('href')).toBe(`/sets/${set}/settings#types-title`);
    await page
      .locator(`[data-image-id="${image}"]`)
      .getByText(/annotations?$/)
      .waitFor({ timeout: 60_000 });
    await page.goto(`${server.baseUrl}/images/${image}`);
    const hint = page.getByTestId('no-types-hint');
    await hint.waitFor();
    expect(await hint.getByRole('link').getAttribute('href')).toBe(`/sets/${set}/settings#types-title`);
    const draw = page
      .getByRole('toolbar', { name: 'Annotation tools' })
      .getByRole('button', { name: /^Draw/ });
    expect(await draw.isDisabled()).toBe(true);
    expect(await draw.getAttribute('title')).toMatch(/no annotation types/i);
  });
});
