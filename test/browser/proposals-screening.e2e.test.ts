// Proposals and guided screening in the workspace, in headless Chromium against the real server:
// algorithm proposals accepted and rejected with the keys (and in bulk above a score threshold) reach
// the REST verifications; a guided screening session resumes after a reload at the same field, with
// the screened fields shaded on the navigator.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Page as ApiPage, RestAnnotation, RestVerification, ScreeningMode } from '@tessera/shared';
import { saveScreenshot, useBrowser } from './support/browser.js';
import { screenedTiles, screenThreeFields, shadeAt, type ScreeningWindow } from './support/screening.js';
import { click, localCount, openWorkspace, setUpWorkspace } from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

interface ReviewWindow extends ScreeningWindow {
  tesseraWorkspace: {
    flyTo(id: string): void;
    viewer: {
      transform(): { scale: number; offsetX: number; offsetY: number; width: number; height: number };
    };
  };
}

/** Proposals (generated, with a score) of the first type in a row at the image's top left. */
async function propose(scores: number[]): Promise<RestAnnotation[]> {
  const api = new ApiClient(server.baseUrl, fx().member);
  const type = fx().types.get('Cell') ?? 0;
  const body = scores.map((score, i) => ({
    annotation_type: type,
    image: fx().image,
    vector: { x1: 100 + i * 200, y1: 100, x2: 200 + i * 200, y2: 200 },
    generated: true,
    score,
  }));
  const created = await api.post<RestAnnotation[]>('/annotations/annotations/', body);
  expect(created.status).toBe(201);
  return created.body;
}

/** The verdicts the REST API lists for one annotation. */
async function verdicts(annotation: number): Promise<Pick<RestVerification, 'user' | 'verified'>[]> {
  const api = new ApiClient(server.baseUrl, fx().member);
  const answer = await api.get<ApiPage<RestVerification>>(
    `/annotations/verifications/?annotation=${annotation}`,
  );
  return answer.body.results.map((v) => ({ user: v.user, verified: v.verified }));
}

const centre = (a: RestAnnotation) => {
  const v = a.vector as { x1: number; y1: number; x2: number; y2: number };
  return { x: (v.x1 + v.x2) / 2, y: (v.y1 + v.y2) / 2 };
};

describe.skipIf(lacking('chromium', 'openslide'))('review in the workspace', () => {
  it('accepts and rejects proposals with F and Shift+F, and in bulk above the threshold', async () => {
    const [a, b, c, d] = (await propose([0.9, 0.8, 0.3, 0.7])) as [
      RestAnnotation,
      RestAnnotation,
      RestAnnotation,
      RestAnnotation,
    ];
    const reviewer = fx().member2;
    const page = await openWorkspace(await browser.newContext(), server, reviewer, fx().image);
    await expect.poll(() => localCount(page)).toBeGreaterThanOrEqual(4);
    const counts = page.getByTestId('proposal-counts');
    await expect.poll(() => counts.textContent()).toBe('4 pending, 0 accepted, 0 rejected');

    await click(page, centre(a));
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await page.keyboard.press('f');
    await click(page, centre(b));
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    await page.keyboard.press('Shift+F');
    await expect.poll(() => verdicts(a.id)).toEqual([{ user: reviewer.id, verified: true }]);
    await expect.poll(() => verdicts(b.id)).toEqual([{ user: reviewer.id, verified: false }]);
    // The rejected proposal is hidden: it left the selection and a click no longer finds it.
    await expect.poll(() => page.getByTestId('selection-count').count()).toBe(0);
    await click(page, centre(b));
    expect(await page.getByTestId('selection-count').count()).toBe(0);

    // Threshold 0.5: c (0.3) hides, and the bulk accept takes d (0.7) only.
    await page.getByTestId('proposals').getByRole('slider').fill('0.5');
    await expect
      .poll(async () => Number(await page.getByTestId('proposal-threshold').textContent()))
      .toBeGreaterThan(0.45);
    await saveScreenshot(page, 'proposals-reviewed');
    await page.getByRole('button', { name: 'Accept all in view at or above the threshold' }).click();
    await expect.poll(() => verdicts(d.id)).toEqual([{ user: reviewer.id, verified: true }]);
    await expect.poll(() => counts.textContent()).toBe('1 pending, 2 accepted, 1 rejected');
    expect(await verdicts(c.id)).toEqual([]);

    // The list or the review queue (E) may lead to c, hidden under the threshold: it says so, selects
    // nothing, and F then judges nothing.
    await page.evaluate((id) => {
      (window as unknown as ReviewWindow).tesseraWorkspace.flyTo(id);
    }, c.unique_identifier);
    await expect.poll(() => page.locator('.status-message').textContent()).toContain('proposal is hidden');
    expect(await page.getByTestId('selection-count').count()).toBe(0);
    await page.keyboard.press('f');
    await expect.poll(() => page.locator('.status-message').textContent()).toContain('Select an annotation');
    expect(await verdicts(c.id)).toEqual([]);
  });

  it('resumes a screening session after a reload at the same field, screened fields shaded', async () => {
    const user = fx().member;
    const page = await openWorkspace(await browser.newContext(), server, user, fx().image);
    // The second move already set current_index 2 before the last two.
    const position = await screenThreeFields(page);

    const api = new ApiClient(server.baseUrl, user);
    const stored = async () =>
      (await api.get<ApiPage<ScreeningMode>>(`/images/screening_modes/?image=${fx().image}&user=${user.id}`))
        .body.results[0];
    await expect.poll(async () => (await stored())?.current_index).toBe(2);
    const mode = await stored();
    expect(screenedTiles(mode?.screening_tiles ?? {})).toEqual([0, 1, 2]);
    expect(mode?.x_steps ?? 0).toBeGreaterThan(1);
    expect(mode?.y_steps ?? 0).toBeGreaterThan(1);

    await page.reload();
    await expect.poll(() => position.getAttribute('data-current'), { timeout: 15_000 }).toBe('2');
    expect(await position.getAttribute('data-screened')).toBe('3');
    // The view shows the current field again.
    await expect.poll(() => viewInside(page, 2)).toBe(true);
    // Screened fields are shaded on the navigator; an unscreened one (the last) is not.
    await expect.poll(() => shadeAt(page, 0)).toBeGreaterThan(0);
    await expect.poll(() => shadeAt(page, 1)).toBeGreaterThan(0);
    expect(await shadeAt(page, -1)).toBe(0);
    await saveScreenshot(page, 'screening-resumed');

    // Stepping on from the resumed field continues the same plan.
    await page.keyboard.press('Space');
    await expect.poll(async () => (await stored())?.current_index).toBe(3);
    // A click on the navigator goes to the field there: here the last one.
    const last = await lastFieldOnNavigator(page);
    await page.mouse.click(last.x, last.y);
    await expect.poll(() => position.getAttribute('data-current')).toBe(String(last.index));
    await expect.poll(async () => (await stored())?.current_index).toBe(last.index);
  });
});

/** Whether the view's centre lies in field `index` of the plan. */
function viewInside(page: Page, index: number): Promise<boolean> {
  return page.evaluate((i) => {
    const w = window as unknown as ReviewWindow;
    const field = w.tesseraScreening?.session.getSnapshot().progress?.fields[i];
    const v = w.tesseraWorkspace.viewer.transform();
    if (field === undefined) return false;
    const x = (v.width / 2 - v.offsetX) / v.scale;
    const y = (v.height / 2 - v.offsetY) / v.scale;
    return field.minX <= x && x <= field.maxX && field.minY <= y && y <= field.maxY;
  }, index);
}

/** The last field's index and the page point of its centre on the navigator. */
function lastFieldOnNavigator(page: Page): Promise<{ index: number; x: number; y: number }> {
  return page.evaluate(() => {
    const s = (window as unknown as ReviewWindow).tesseraScreening;
    const fields = s?.session.getSnapshot().progress?.fields ?? [];
    const field = fields.at(-1);
    if (s === undefined || field === undefined) throw new Error('no screening plan');
    const p = s.navigator.navigatorPoint((field.minX + field.maxX) / 2, (field.minY + field.maxY) / 2);
    if (p === null) throw new Error('the image is not open');
    const box = s.navigator.canvas.getBoundingClientRect();
    return { index: fields.length - 1, x: box.left + p.x, y: box.top + p.y };
  });
}
