// Shared set-up of the workspace browser tests: a team with two members and an outsider, a public
// image set with one real slide and templates of every geometry, and helpers that sign a browser in,
// open /images/<id> and draw at image coordinates.
import { VectorType, type RestAnnotation } from '@tessera/shared';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, vi } from 'vitest';
import { Factories, type TestUser } from '../../support/factories.js';
import { ApiClient } from '../../support/http.js';
import type { TestServer } from '../../support/server.js';
import { slide, uploadImages } from '../../support/upload.js';

export interface WorkspaceFixture {
  member: TestUser;
  member2: TestUser;
  outsider: TestUser;
  set: number;
  image: number;
  /** Type ids by name. */
  types: Map<string, number>;
  typeName(id: number): string;
  /** Page coordinates of an image point. */
  screen(page: Page, p: { x: number; y: number }): Promise<[number, number]>;
}

/** The templates, in their sort order: digits 1-6 choose the shape types. */
const TEMPLATES = [
  { name: 'Cell', vector_type: VectorType.box, color_code: '#E6194B', default_width: 50, default_height: 50 },
  {
    name: 'Nucleus',
    vector_type: VectorType.circle,
    color_code: '#3CB44B',
    default_width: 20,
    default_height: 20,
  },
  { name: 'Fibre', vector_type: VectorType.line, color_code: '#4363D8' },
  { name: 'Vessel', vector_type: VectorType.multiLine, color_code: '#F58231' },
  { name: 'Region', vector_type: VectorType.polygon, color_code: '#911EB4' },
  { name: 'Mitosis', vector_type: VectorType.box, color_code: '#42D4F4' },
  { name: 'Tumour present', vector_type: VectorType.global, color_code: '#F032E6' },
];

/** Builds the fixture once for the test file. */
export function setUpWorkspace(server: TestServer): () => WorkspaceFixture {
  let fixture: WorkspaceFixture | undefined;
  beforeAll(async () => {
    const f = new Factories(server.db);
    const [member, member2, outsider] = [await f.user(), await f.user(), await f.user()];
    const team = await f.team({ admins: [member], members: [member2] });
    const set = await f.imageSet(team, member, { public: true });
    const product = await f.product(team, member, [set]);
    const types = new Map<string, number>();
    for (const [i, t] of TEMPLATES.entries()) {
      types.set(t.name, await f.annotationType(product, { ...t, sort_order: i + 1 }));
    }
    const upload = await uploadImages(server.baseUrl, member, set, [
      { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
    ]);
    expect(upload.status).toBe(201);
    const image = upload.body.results[0]?.id ?? 0;
    const api = new ApiClient(server.baseUrl, member);
    // In beforeAll, where expect.poll is not allowed.
    await vi.waitFor(
      async () => {
        const state = (await api.get<{ state: string }>(`/images/images/${image}/`)).body.state;
        if (state !== 'ready') throw new Error(`the slide is ${state}, not ready`);
      },
      { timeout: 60_000, interval: 100 },
    );
    const names = new Map([...types].map(([name, id]) => [id, name]));
    fixture = {
      member,
      member2,
      outsider,
      set,
      image,
      types,
      typeName: (id) => names.get(id) ?? `unknown ${id}`,
      screen: imageToPage,
    };
  }, 120_000);
  return () => {
    if (fixture === undefined) throw new Error('the workspace fixture exists only inside tests');
    return fixture;
  };
}

interface WorkspaceWindow {
  tesseraWorkspace?: {
    viewer: {
      transform(): { scale: number; offsetX: number; offsetY: number } | null;
      flyTo(rect: { minX: number; minY: number; maxX: number; maxY: number }, immediately: boolean): void;
    } | null;
    index: { size: number };
  };
}

/** A new page of `context` signed in as `user` (through the API) at `path`, e.g. a view link. */
export async function openPage(
  context: BrowserContext,
  server: TestServer,
  user: TestUser,
  path: string,
): Promise<Page> {
  const page = await context.newPage();
  const login = await page.request.post(`${server.baseUrl}/api/v1/auth/login/`, {
    data: { username: user.username, password: user.password },
  });
  expect(login.status()).toBe(200);
  await page.goto(`${server.baseUrl}${path}`);
  return page;
}

/** Signs `user` in (the context keeps the cookie) and opens the image's workspace, loaded and synced. */
export async function openWorkspace(
  context: BrowserContext,
  server: TestServer,
  user: TestUser,
  image: number,
): Promise<Page> {
  const page = await openPage(context, server, user, `/images/${image}`);
  await page.waitForFunction(() => (window as WorkspaceWindow).tesseraWorkspace?.viewer?.transform() != null);
  // vi.waitFor, not expect.poll: tests open workspaces in beforeAll too.
  await vi.waitFor(
    async () => {
      const state = await syncState(page);
      if (state !== 'saved') throw new Error(`the document is ${state}, not saved`);
    },
    { timeout: 15_000, interval: 100 },
  );
  // The tests draw in the image's top-left 1,400 pixels: show that part whatever the window's layout.
  await page.evaluate(() =>
    (window as WorkspaceWindow).tesseraWorkspace?.viewer?.flyTo(
      { minX: 0, minY: 0, maxX: 1400, maxY: 1400 },
      true,
    ),
  );
  return page;
}

/** Waits until the page's workspace has its viewer open (after a navigation or a reload). */
export async function viewerOpen(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as WorkspaceWindow).tesseraWorkspace?.viewer?.transform() != null,
    undefined,
    {
      timeout: 15_000,
    },
  );
}

/** The sync state the status bar shows (`saved`, `saving`, `offline`, ...). */
export function syncState(page: Page): Promise<string | null> {
  return page.getByTestId('sync-state').getAttribute('data-state');
}

/** How many annotations the page's workspace holds. */
export function localCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as WorkspaceWindow).tesseraWorkspace?.index.size ?? -1);
}

async function imageToPage(page: Page, p: { x: number; y: number }): Promise<[number, number]> {
  return page.evaluate((point) => {
    const w = (window as WorkspaceWindow).tesseraWorkspace;
    const view = w?.viewer?.transform();
    const canvas = document.querySelector('.annotation-canvas');
    if (!view || !canvas) throw new Error('the workspace is not open');
    const box = canvas.getBoundingClientRect();
    return [
      box.left + point.x * view.scale + view.offsetX,
      box.top + point.y * view.scale + view.offsetY,
    ] as [number, number];
  }, p);
}

/** Presses at one image point, moves in steps to another, releases. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  const [ax, ay] = await imageToPage(page, from);
  const [bx, by] = await imageToPage(page, to);
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.mouse.move(bx, by, { steps: 8 });
  await page.mouse.up();
}

/** Clicks at an image point. */
export async function click(page: Page, at: { x: number; y: number }) {
  const [x, y] = await imageToPage(page, at);
  await page.mouse.click(x, y);
}

/** The image's live annotations as the server's REST API lists them. */
export async function annotationsOnServer(
  server: TestServer,
  fx: WorkspaceFixture,
  image = fx.image,
): Promise<RestAnnotation[]> {
  const api = new ApiClient(server.baseUrl, fx.member);
  const answer = await api.get<{ results: RestAnnotation[] }>(
    `/annotations/annotations/?image=${image}&deleted=false&limit=1000`,
  );
  expect(answer.status).toBe(200);
  return answer.body.results;
}

/**
 * How many updates the page's y-indexeddb stores hold (every Tessera document this browser keeps).
 * A read transaction waits for the write transactions begun before it, so a count that has grown
 * proves an update is stored, with no pause for the write.
 */
export function storedUpdateCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).flatMap((d) =>
      d.name?.startsWith('tessera:') ? [d.name] : [],
    );
    const counts = names.map(
      (name) =>
        new Promise<number>((resolve, reject) => {
          const opening = indexedDB.open(name);
          opening.onerror = () => {
            reject(opening.error ?? new Error(`cannot open ${name}`));
          };
          opening.onsuccess = () => {
            const db = opening.result;
            const counting = db.transaction('updates', 'readonly').objectStore('updates').count();
            counting.onerror = () => {
              reject(counting.error ?? new Error(`cannot count ${name}`));
            };
            counting.onsuccess = () => {
              db.close();
              resolve(counting.result);
            };
          };
        }),
    );
    return (await Promise.all(counts)).reduce((sum, n) => sum + n, 0);
  });
}
