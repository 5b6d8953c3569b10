// The data sets page: every predefined data set's description page, and a team admin setting one up
// from the browser (the same setup `tessera dataset add` runs), which becomes an image set.
import { describe, expect, it } from 'vitest';
import type { Dataset, Page as ListPage } from '@tessera/shared';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { signedIn, unlabelledControls } from './support/pages.js';
import { Factories } from '../support/factories.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

describe.skipIf(lacking('chromium'))('the data sets page', () => {
  it('describes each data set, and lets a team admin set one up in the team', async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const member = await make.user();
    const team = await make.team({ name: 'Cytology lab', admins: [admin], members: [member] });
    const catalogue = (
      await new ApiClient(server.baseUrl, admin).get<ListPage<Dataset>>('/datasets/datasets/')
    ).body;
    const series = catalogue.results.find((d) => d.name === 'cell-series');
    if (series === undefined) throw new Error('the catalogue has no cell-series');

    const asMember = await signedIn(browser, server.baseUrl, member, '/datasets');
    const memberPanel = asMember.getByRole('region', { name: series.title });
    await memberPanel.getByText('Team admins can set this data set up in their team.').waitFor();

    const page = await signedIn(browser, server.baseUrl, admin, '/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data sets' }).click();
    for (const d of catalogue.results) await page.getByRole('heading', { name: d.title }).waitFor();
    const panel = page.getByRole('region', { name: series.title });
    expect(await panel.locator('.facts').textContent()).toContain(series.licence);
    expect(
      await panel
        .getByRole('list', { name: `Labels of ${series.title}` })
        .locator('li')
        .count(),
    ).toBe(series.labels.length);
    expect(await unlabelledControls(page)).toEqual([]);
    await panel.getByLabel('Team').selectOption({ label: 'Cytology lab' });
    await panel.getByLabel('Seed').fill('2');
    await panel.getByRole('button', { name: 'Set up' }).click();
    await panel
      .getByText(`Set up with 1 image and ${series.annotation_count} annotations`)
      .waitFor({ timeout: 60_000 });
    await saveScreenshot(page, 'datasets-page');
    await panel.getByRole('link', { name: 'open the image set' }).click();
    await page.getByRole('heading', { name: series.title, level: 1 }).waitFor();
    const sets = await new ApiClient(server.baseUrl, admin).get<ListPage<{ team: number; name: string }>>(
      `/images/image_sets/?team=${team}`,
    );
    expect(sets.body.results.map((s) => s.name)).toEqual([series.title]);
  });
});
