// A blind reader study in the browser: a team admin makes an image set blind and adds a reader in its
// settings, three readers annotate the same slide each in their own copy (one of them in the
// workspace, seeing only their own boxes), and the admin follows them on the study page: counts, time,
// the agreement matrix, Fleiss' kappa, another overlap rule, the CSV. Readers cannot open the page.
// With TESSERA_GUIDE_SCREENSHOTS=1 it writes the "Running a study" screenshots into docs/images/.
import { describe, expect, it, vi } from 'vitest';
import { useBrowser } from './support/browser.js';
import { guideScreenshot } from './support/guide.js';
import { signedIn, unlabelledControls } from './support/pages.js';
import { localCount, openWorkspace } from './support/workspace.js';
import { Factories, type TestUser } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';
import { slide, uploadImages } from '../support/upload.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const shoot = (target: Parameters<typeof guideScreenshot>[0], name: string) =>
  guideScreenshot(target, 'study', name);

interface StudyWindow {
  tesseraWorkspace?: {
    viewer: {
      flyTo(rect: { minX: number; minY: number; maxX: number; maxY: number }, now: boolean): void;
    } | null;
  };
}

/** A 60 px box at (x, y) of `type`. */
const box = (image: number, type: number, x: number, y: number) => ({
  image,
  annotation_type: type,
  vector: { x1: x, y1: y, x2: x + 60, y2: y + 60 },
});

describe.skipIf(lacking('chromium', 'openslide'))('running a blind study', () => {
  it('sets a study up, lets each reader see only their own work, and compares the readers', async () => {
    const make = new Factories(server.db);
    const admin = await make.user({ username: 'lead' });
    const readers: TestUser[] = [];
    for (const name of ['ada', 'ben', 'cleo']) readers.push(await make.user({ username: name }));
    const [r1, r2, r3] = readers as [TestUser, TestUser, TestUser];
    const team = await make.team({ admins: [admin], members: [r1, r2] });
    const set = await make.imageSet(team, admin, { name: 'Mitotic figure study' });
    const product = await make.product(team, admin, [set]);
    const mitosis = await make.annotationType(product, {
      name: 'Mitotic figure',
      color_code: '#E6194B',
      sort_order: 1,
    });
    const imposter = await make.annotationType(product, {
      name: 'Imposter',
      color_code: '#4363D8',
      sort_order: 2,
    });
    const upload = await uploadImages(server.baseUrl, admin, set, [
      { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
    ]);
    expect(upload.status).toBe(201);
    const image = upload.body.results[0]?.id ?? 0;
    const asAdmin = new ApiClient(server.baseUrl, admin);
    await vi.waitFor(
      async () => {
        const state = (await asAdmin.get<{ state: string }>(`/images/images/${image}/`)).body.state;
        if (state !== 'ready') throw new Error(`the slide is ${state}, not ready`);
      },
      { timeout: 60_000, interval: 100 },
    );

    // The lead makes the set blind and adds the third reader to the team.
    const lead = await signedIn(browser, server.baseUrl, admin, `/sets/${set}/settings`);
    const general = lead.getByRole('region', { name: 'General' });
    await general.getByRole('radio', { name: /^Blind/ }).check();
    await general.getByRole('button', { name: 'Save' }).click();
    await general.getByText('Saved.').waitFor();
    await shoot(general, 'study-blind-set');
    const members = lead.getByRole('region', { name: 'Team members' });
    await members.getByLabel('Add user').fill(r3.username);
    await members.getByRole('button', { name: 'Add' }).click();
    await members.getByText(r3.username).waitFor();
    await shoot(members, 'study-readers');

    // Each reader marks the same three cells in their own copy; ben calls one differently and marks
    // one elsewhere, cleo agrees with ada.
    const mark = async (reader: TestUser, boxes: [number, number, number][]) => {
      const made = await new ApiClient(server.baseUrl, reader).post(
        '/annotations/annotations/',
        boxes.map(([type, x, y]) => box(image, type, x, y)),
      );
      expect(made.status).toBe(201);
    };
    await mark(r1, [
      [mitosis, 1050, 800],
      [mitosis, 1300, 1150],
      [imposter, 850, 1500],
    ]);
    await mark(r2, [
      [mitosis, 1052, 800],
      [imposter, 1302, 1150],
      [imposter, 1500, 1900],
    ]);
    await mark(r3, [
      [mitosis, 1050, 802],
      [mitosis, 1300, 1152],
      [imposter, 852, 1500],
    ]);
    const logAs = (reader: TestUser, action: 1 | 2, time: string) =>
      new ApiClient(server.baseUrl, reader).post('/annotations/log_image_actions/', { image, action, time });
    expect((await logAs(r2, 1, '2026-01-05T09:00:00')).status).toBe(201);
    expect((await logAs(r2, 2, '2026-01-05T09:12:30')).status).toBe(201);
    expect((await logAs(r3, 1, '2026-01-05T09:00:00')).status).toBe(201); // never closed

    // A reader sees their own copy only, and opening and leaving it is logged.
    const readerView = await openWorkspace(await browser.newContext(), server, r1, image);
    await expect.poll(() => localCount(readerView)).toBe(3);
    await readerView.evaluate(() =>
      (window as StudyWindow).tesseraWorkspace?.viewer?.flyTo(
        { minX: 650, minY: 650, maxX: 1750, maxY: 2050 },
        true,
      ),
    );
    await shoot(readerView, 'study-reader-view');
    // Leaving through the set's link unmounts the workspace, which records the closing. (A full page
    // navigation records it from `pagehide` with a keepalive request, which browsers send on a
    // best-effort basis: under load in CI it once never arrived.)
    await readerView.getByRole('link', { name: 'Mitotic figure study' }).click();
    await readerView.getByRole('heading', { name: 'Mitotic figure study', level: 1 }).waitFor();
    expect(await readerView.getByRole('link', { name: 'Study statistics' }).count()).toBe(0);
    await expect
      .poll(
        async () =>
          (
            await new ApiClient(server.baseUrl, r1).get<{ count: number }>(
              `/annotations/log_image_actions/?image=${image}&action=2`,
            )
          ).body.count,
      )
      .toBe(1);
    await readerView.goto(`${server.baseUrl}/sets/${set}/study`);
    await expect
      .poll(() => readerView.getByRole('alert').textContent())
      .toMatch(/Study statistics are for team admins/);

    // The lead follows the readers and compares them.
    await lead.goto(`${server.baseUrl}/sets/${set}`);
    await lead.getByRole('link', { name: 'Study statistics' }).click();
    await lead.getByRole('heading', { name: 'Study of Mitotic figure study', level: 1 }).waitFor();
    const readersTable = lead.getByRole('region', { name: 'Readers' });
    const row = (reader: TestUser) => readersTable.locator(`tr[data-reader="${reader.id}"]`);
    const cells = async (reader: TestUser) =>
      (await row(reader).locator('th, td').allTextContents()).join(' | ');
    await expect
      .poll(() => cells(r1))
      .toMatch(new RegExp(`^${r1.username} \\| 1 of 1 \\| 1 \\| 3 \\| 2 \\| 1 \\| \\d+ s \\| 0$`));
    expect(await cells(r2)).toBe(`${r2.username} | 1 of 1 | 1 | 3 | 1 | 2 | 12 min 30 s | 0`);
    expect(await cells(r3)).toBe(`${r3.username} | 1 of 1 | 1 | 3 | 2 | 1 | 0 s | 1`);
    await readersTable.getByText('Per image').click();
    const perImage = readersTable.locator(`tr[data-reader-image="${r2.id}-${image}"] td`);
    expect(await perImage.allTextContents()).toEqual([
      r2.username,
      upload.body.results[0]?.name,
      '3',
      '12 min 30 s',
      '1',
      '0',
    ]);
    await readersTable.getByText('Per image').click();
    const agreement = lead.getByRole('region', { name: 'Agreement' });
    const pair = (a: TestUser, b: TestUser) => agreement.locator(`td[data-pair="${a.id}-${b.id}"]`);
    // ada-ben: items (M,M) (M,I) (I,none) (none,I): po 1/4, pe 5/16, kappa -1/11; F1 4/6.
    expect(await pair(r1, r2).textContent()).toBe('-0.09 · 0.67');
    expect(await pair(r2, r1).textContent()).toBe('-0.09 · 0.67');
    expect(await pair(r1, r3).textContent()).toBe('1.00 · 1.00');
    // Clusters [M,M,M] [M,I,M] [I,none,I] [none,I,none]: P 1/2, Pe 50/144.
    expect(await agreement.getByText(/^Fleiss’ kappa of all 3 readers/).textContent()).toBe(
      'Fleiss’ kappa of all 3 readers: 0.23 (4 items)',
    );
    expect(await unlabelledControls(lead)).toEqual([]);
    await shoot(lead, 'study-statistics');

    const csvHref = await lead.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await lead.request.get(`${server.baseUrl}${csvHref ?? ''}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      'reader_id,reader,image_id,image,annotations,seconds,visits,unclosed_visits,Mitotic figure,Imposter',
    );
    expect(lines).toContain(`${r2.id},${r2.username},${image},${upload.body.results[0]?.name},3,750,1,0,1,2`);

    // A stricter overlap: 2 px apart on 60 px boxes is an IoU of 0.94, so nothing pairs at 0.99.
    await lead.getByLabel('Overlap (IoU) at least').fill('0.99');
    await lead.getByRole('button', { name: 'Compare again' }).click();
    await expect.poll(() => pair(r1, r3).textContent()).toMatch(/ · 0\.00$/);
    expect(await lead.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toContain(
      'iou_threshold=0.99',
    );
  }, 180_000);
});
