// Every page of the browser client, visited in Chromium against a real server: axe-core finds no
// serious or critical accessibility violation, each page names itself in the tab (document.title),
// the favicon is served, and no request of any page answers 404. The API docs (Swagger UI, served by
// the server, not this client) are checked for the favicon only.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';
import { blockingViolations, type Violation } from './support/accessibility.js';
import { useBrowser } from './support/browser.js';
import { signedIn } from './support/pages.js';
import { openWorkspace, setUpWorkspace, syncState } from './support/workspace.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

let setName: string;
let versionId: number;

beforeAll(async () => {
  const api = new ApiClient(server.baseUrl, fx().member);
  setName = (await api.get<{ name: string }>(`/images/image_sets/${fx().set}/`)).body.name;
  const box = {
    image: fx().image,
    annotation_type: fx().types.get('Cell'),
    vector: { x1: 40, y1: 40, x2: 90, y2: 90 },
  };
  expect((await api.post('/annotations/annotations/', box)).status).toBe(201);
  const version = await api.post<{ id: number }>('/images/set_versions/', {
    name: 'first round',
    imagesets: [fx().set],
  });
  expect(version.status).toBe(201);
  versionId = version.body.id;
});

/** Collects the addresses that answered 404 while the page was open. */
function notFoundRequests(page: Page): string[] {
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  return missing;
}

/** Goes to `path` in the app (client-side routing is not needed: every address loads the app). */
async function visit(page: Page, path: string, ready: (page: Page) => Promise<unknown>) {
  await page.goto(`${server.baseUrl}${path}`);
  await ready(page);
}

describe.skipIf(lacking('chromium', 'openslide'))('every page of the app', () => {
  it('serves the favicon to sign-in and the API docs, and signs in with a title and no violation', async () => {
    const page = await (await browser.newContext()).newPage();
    const missing = notFoundRequests(page);
    await visit(page, '/login', (p) => p.getByRole('button', { name: 'Sign in' }).waitFor());
    expect(await page.title()).toBe('Sign in · Tessera');
    expect(await blockingViolations(page)).toEqual([]);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toBe('/favicon.svg');
    const served = await page.request.get(`${server.baseUrl}/favicon.svg`);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    expect(await served.text()).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // The API docs (Swagger UI, served by the server) name the same icon: no 404 there either.
    await page.goto(`${server.baseUrl}/api/v1/docs/`);
    await page.locator('.swagger-ui .info').waitFor();
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
    expect(missing).toEqual([]);
  });

  it('has a title and no serious accessibility violation on every signed-in page', async () => {
    const { member, set, image } = fx();
    const page = await signedIn(browser, server.baseUrl, member, '/');
    const missing = notFoundRequests(page);
    const heading = (name: string | RegExp) => (p: Page) =>
      p.getByRole('heading', { name, level: 1 }).waitFor();
    const pages: { path: string; title: string; ready: (p: Page) => Promise<unknown> }[] = [
      {
        path: '/',
        title: 'Image sets · Tessera',
        ready: (p) => p.locator('.data-table').first().waitFor(),
      },
      {
        // The set's page, with its images and its dataset versions.
        path: `/sets/${set}`,
        title: `${setName} · Tessera`,
        ready: (p) => p.getByRole('link', { name: 'View first round' }).waitFor(),
      },
      {
        path: `/sets/${set}/settings`,
        title: `Settings of ${setName} · Tessera`,
        ready: (p) => p.getByRole('heading', { name: 'Products and annotation types' }).waitFor(),
      },
      { path: `/sets/${set}/study`, title: `Study of ${setName} · Tessera`, ready: heading(/^Study of/) },
      { path: '/datasets', title: 'Data sets · Tessera', ready: heading('Data sets') },
      { path: '/account', title: 'Account · Tessera', ready: heading('Account') },
      { path: '/no/such/page', title: 'Not found · Tessera', ready: heading('Not found') },
    ];
    // Every page's findings at once, so one run names all that needs fixing.
    const titles: Record<string, string> = {};
    const violations: Record<string, Violation[]> = {};
    const check = async (p: Page, path: string) => {
      titles[path] = await p.title();
      const found = await blockingViolations(p);
      if (found.length > 0) violations[path] = found;
    };
    for (const { path, ready } of pages) {
      await visit(page, path, ready);
      await check(page, path);
    }

    // The workspace, live and as a dataset version shows it.
    const workspace = await openWorkspace(page.context(), server, member, image);
    const workspaceMissing = notFoundRequests(workspace);
    await check(workspace, `/images/${image}`);
    const versionPath = `/images/${image}?version=${versionId}`;
    await visit(workspace, versionPath, (p) =>
      expect.poll(() => syncState(p), { timeout: 15_000 }).toBe('version'),
    );
    await check(workspace, versionPath);
    expect(violations).toEqual({});
    expect(titles).toEqual({
      ...Object.fromEntries(pages.map(({ path, title }) => [path, title])),
      [`/images/${image}`]: 'Image · Tessera',
      [versionPath]: 'Image · Tessera',
    });
    expect([...missing, ...workspaceMissing]).toEqual([]);
  });
});
