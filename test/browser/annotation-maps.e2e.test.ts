// Annotation maps in the browser: a map of a real slide's boxes opens at /maps/<id>; a cell clicked and
// relabelled with a digit, then deleted with Delete, changes the original annotation in the slide's
// live document, which a live-document client on the slide sees at once. A map is screened field by
// field with the keys, and after a reload resumes at the same field with the screened ones shaded.
import {
  readRecord,
  type AnnotationMap,
  type AnnotationMapScreening,
  type RestAnnotation,
} from '@tessera/shared';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { signedIn } from './support/pages.js';
import {
  screenedTiles,
  screenThreeFields,
  shadeAt,
  type ScreeningRect as Rect,
  type ScreeningWindow,
} from './support/screening.js';
import { openWorkspace, setUpWorkspace } from './support/workspace.js';
import { openLiveDocument } from '../support/collab-client.js';
import { ApiClient } from '../support/http.js';
import { lacking } from '../support/prerequisites.js';
import { useTestServer } from '../support/server.js';

const server = useTestServer({ client: true, tiler: true, collab: { allowedTypesTtlMs: 0 } });
const browser = useBrowser();
const fx = setUpWorkspace(server);

interface WorkspaceWindow {
  tesseraWorkspace: {
    index: { get(id: string): { record: { type: number } } | undefined };
    getSnapshot(): { selection: Set<string> };
  };
}

/** The type of annotation `uuid` as an open workspace holds it. */
function typeInWorkspace(page: Page, uuid: string): Promise<number | null> {
  return page.evaluate(
    (id) => (window as unknown as WorkspaceWindow).tesseraWorkspace.index.get(id)?.record.type ?? null,
    uuid,
  );
}

interface MapWindow {
  tesseraMap?: {
    elementPoint(x: number, y: number): { x: number; y: number };
    viewer: { world: { getItemCount(): number } };
  };
}

/** Whether the map view's centre lies in field `index` of the plan. */
function viewInside(page: Page, index: number): Promise<boolean> {
  return page.evaluate((i) => {
    const field = (window as unknown as ScreeningWindow).tesseraScreening?.session.getSnapshot().progress
      ?.fields[i];
    const viewer = (window as unknown as { tesseraMap?: { viewer: OpenSeadragonLike } }).tesseraMap?.viewer;
    const item = viewer?.world.getItemAt(0);
    if (field === undefined || viewer === undefined || item === undefined) return false;
    const c = item.viewportToImageCoordinates(viewer.viewport.getCenter(true));
    return field.minX <= c.x && c.x <= field.maxX && field.minY <= c.y && c.y <= field.maxY;
  }, index);
}

interface OpenSeadragonLike {
  world: { getItemAt(i: number): { viewportToImageCoordinates(p: unknown): { x: number; y: number } } };
  viewport: { getCenter(current: boolean): unknown };
}

/** Clicks the centre of a map cell. */
async function clickCell(page: Page, col: number, row: number, cellSize: number): Promise<void> {
  const point = await page.evaluate(
    ([x, y]) => (window as MapWindow).tesseraMap?.elementPoint(x ?? 0, y ?? 0) ?? null,
    [(col + 0.5) * cellSize, (row + 0.5) * cellSize],
  );
  const box = await page.getByTestId('map-viewer').boundingBox();
  expect(point).not.toBeNull();
  await page.mouse.click((box?.x ?? 0) + (point?.x ?? 0), (box?.y ?? 0) + (point?.y ?? 0));
}

describe.skipIf(lacking('chromium', 'openslide'))('annotation maps in the browser', () => {
  it('relabels and deletes the original annotation from the map, live on the slide', async () => {
    const { member, image, types } = fx();
    const cell = types.get('Cell') ?? 0;
    const mitosis = types.get('Mitosis') ?? 0;
    const api = new ApiClient(server.baseUrl, member);
    const made: RestAnnotation[] = [];
    for (const [x, y] of [
      [400, 400],
      [900, 500],
      [1300, 1200],
      [600, 1800],
    ]) {
      const res = await api.post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: cell,
        image,
        vector: { x1: x, y1: y, x2: (x ?? 0) + 80, y2: (y ?? 0) + 80 },
      });
      expect(res.status).toBe(201);
      made.push(res.body);
    }
    const created = await api.post<AnnotationMap>('/annotations/annotation_maps/', {
      image,
      annotation_type: cell,
      cell_size: 128,
    });
    expect(created.status).toBe(201);
    await server.services.maps.settled();

    const token = await api.post<{ token: string }>('/users/tokens/', { name: 'live reader' });
    const live = await openLiveDocument(server.baseUrl, `image.${image}`, token.body.token);
    try {
      const [first, second] = made;
      const uuid = first?.unique_identifier ?? '';
      expect(readRecord(live.doc, uuid)?.['type']).toBe(cell);

      // A reader has the slide open in the workspace meanwhile.
      const slide = await openWorkspace(await browser.newContext(), server, fx().member2, image);
      expect(await typeInWorkspace(slide, uuid)).toBe(cell);
      const page = await signedIn(browser, server.baseUrl, member, `/maps/${created.body.id}`);
      await page.waitForFunction(
        () => ((window as MapWindow).tesseraMap?.viewer.world.getItemCount() ?? 0) > 0,
      );
      await saveScreenshot(page, 'annotation-map-opened');
      // Cells are in annotation order on a 2x2 grid: the first annotation is at the top left.
      await clickCell(page, 0, 0, 128);
      await expect.poll(() => page.getByTestId('map-selection').textContent()).toContain('Cell');
      await page.keyboard.press('2');
      await expect
        .poll(() => readRecord(live.doc, uuid)?.['type'], { message: 'the relabel in the live document' })
        .toBe(mitosis);
      await expect
        .poll(() => typeInWorkspace(slide, uuid), { message: 'the relabel in the open workspace' })
        .toBe(mitosis);
      await expect.poll(() => page.getByTestId('map-selection').textContent()).toContain('Mitosis');
      await saveScreenshot(page, 'annotation-map-relabelled');
      const link = page.getByRole('link', { name: 'open on its slide' });
      expect(await link.getAttribute('href')).toBe(`/images/${image}?annotation=${uuid}`);

      await clickCell(page, 1, 0, 128);
      await page.keyboard.press('Delete');
      await expect
        .poll(() => readRecord(live.doc, second?.unique_identifier ?? '')?.['deleted'], {
          message: 'the deletion in the live document',
        })
        .toBe(true);
      await expect.poll(() => page.getByTestId('map-selection').textContent()).toContain('(deleted)');

      // The link of a cell opens its slide with its annotation selected.
      await clickCell(page, 0, 0, 128);
      await page.getByRole('link', { name: 'open on its slide' }).click();
      await page.waitForURL(`**/images/${image}?annotation=${uuid}`);
      await expect
        .poll(() =>
          page.evaluate(
            (id) =>
              (window as unknown as Partial<WorkspaceWindow>).tesseraWorkspace
                ?.getSnapshot()
                .selection.has(id),
            uuid,
          ),
        )
        .toBe(true);
    } finally {
      live.close();
    }
  });

  it('screens a map field by field with the keys and resumes it after a reload', async () => {
    const { member, image, types } = fx();
    const api = new ApiClient(server.baseUrl, member);
    for (const x of [300, 700, 1100, 1500]) {
      const res = await api.post('/annotations/annotations/', {
        annotation_type: types.get('Cell') ?? 0,
        image,
        vector: { x1: x, y1: 300, x2: x + 60, y2: 360 },
      });
      expect(res.status).toBe(201);
    }
    // A map of the slide's cells at the largest cell size: a mosaic of at least 512 x 512 pixels.
    const made = await api.post<AnnotationMap>('/annotations/annotation_maps/', {
      image,
      annotation_type: types.get('Cell') ?? 0,
      cell_size: 256,
    });
    expect(made.status).toBe(201);
    await server.services.maps.settled();
    const map = (await api.get<AnnotationMap>(`/annotations/annotation_maps/${made.body.id}/`)).body;
    expect(map.state).toBe('ready');
    const page = await signedIn(browser, server.baseUrl, member, `/maps/${map.id}`);
    await page.waitForFunction(
      () => ((window as MapWindow).tesseraMap?.viewer.world.getItemCount() ?? 0) > 0,
    );
    // Fields magnified 4x: several rows and columns of fields over the mosaic.
    await page.getByTestId('screening').getByRole('combobox').selectOption({ label: '400%' });
    const position = await screenThreeFields(page);

    const stored = async () =>
      (await api.get<AnnotationMapScreening>(`/annotations/annotation_maps/${map.id}/screening/`)).body;
    const saved = await stored();
    expect(saved.current_index).toBe(2);
    expect(screenedTiles(saved.screening_tiles)).toEqual([0, 1, 2]);
    expect(saved.x_steps).toBeGreaterThan(1);
    expect(saved.y_steps).toBeGreaterThan(1);

    await page.reload();
    await expect.poll(() => position.getAttribute('data-current'), { timeout: 15_000 }).toBe('2');
    expect(await position.getAttribute('data-screened')).toBe('3');
    await expect.poll(() => viewInside(page, 2)).toBe(true);
    // Screened fields are shaded on the navigator; an unscreened one clear of them (fields overlap) is not.
    await expect.poll(() => shadeAt(page, 0)).toBeGreaterThan(0);
    await expect.poll(() => shadeAt(page, 2)).toBeGreaterThan(0);
    const clear = await page.evaluate(() => {
      const fields = (window as unknown as ScreeningWindow).tesseraScreening?.session.getSnapshot().progress
        ?.fields;
      const inside = (f: Rect, x: number, y: number) =>
        f.minX <= x && x <= f.maxX && f.minY <= y && y <= f.maxY;
      return (fields ?? []).findIndex(
        (f, i) =>
          i > 2 && !fields?.slice(0, 3).some((s) => inside(s, (f.minX + f.maxX) / 2, (f.minY + f.maxY) / 2)),
      );
    });
    expect(clear).toBeGreaterThan(2);
    expect(await shadeAt(page, clear)).toBe(0);
    await saveScreenshot(page, 'annotation-map-screening-resumed');

    // Stepping on continues the same plan on the server.
    await page.keyboard.press('Space');
    await expect.poll(async () => (await stored()).current_index).toBe(3);
    // Another user of the team has no position on this map.
    const other = await new ApiClient(server.baseUrl, fx().member2).get(
      `/annotations/annotation_maps/${map.id}/screening/`,
    );
    expect(other.status).toBe(204);
  });
});
