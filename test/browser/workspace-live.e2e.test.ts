// Live and offline work in the workspace: two Chromium contexts on one image see each other's edits and
// cursors and can follow each other's view; a context taken offline keeps editing,
// shows its pending changes, and merges on reconnect, even after its tab was closed in between.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import {
  annotationsOnServer,
  click,
  drag,
  localCount,
  openWorkspace,
  setUpWorkspace,
  storedUpdateCount,
  syncState,
  viewerOpen,
} from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true, collab: { allowedTypesTtlMs: 0 } });
const browser = useBrowser();
const fx = setUpWorkspace(server);

interface PresenceWindow {
  tesseraWorkspace: {
    getSnapshot(): { collaborators: { user: { name: string }; cursor: { x: number; y: number } | null }[] };
    viewer: {
      transform(): { scale: number; offsetX: number; offsetY: number; width: number; height: number };
    };
  };
}

/** The image point at the centre of a page's view. */
function viewCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const v = (window as unknown as PresenceWindow).tesseraWorkspace.viewer.transform();
    return { x: (v.width / 2 - v.offsetX) / v.scale, y: (v.height / 2 - v.offsetY) / v.scale };
  });
}

/** The cursor `page` shows for the collaborator `name`, if any. */
function cursorOf(page: Page, name: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    (who) =>
      (window as unknown as PresenceWindow).tesseraWorkspace
        .getSnapshot()
        .collaborators.find((c) => c.user.name === who)?.cursor ?? null,
    name,
  );
}

describe.skipIf(lacking('chromium', 'openslide'))('live collaboration in the browser', () => {
  it("shows each browser the other's edits and cursor, and follows a view", async () => {
    // That they arrive is checked here; how fast edits do is bench:collab's figure, not a test bound.
    const a = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    const b = await openWorkspace(await browser.newContext(), server, fx().member2, fx().image);
    const before = await localCount(b);

    await a.keyboard.press('1');
    await click(a, { x: 300, y: 300 });
    await expect.poll(() => localCount(b), { message: "A's box in B", timeout: 10_000 }).toBe(before + 1);

    const box = await b.locator('.annotation-canvas').boundingBox();
    expect(box).not.toBeNull();
    await b.mouse.move((box?.x ?? 0) + 200, (box?.y ?? 0) + 150);
    await expect
      .poll(() => cursorOf(a, fx().member2.username), { message: "B's cursor in A", timeout: 10_000 })
      .not.toBeNull();
    await a.mouse.move((box?.x ?? 0) + 300, (box?.y ?? 0) + 300);
    await expect
      .poll(() => cursorOf(b, fx().member.username), { message: "A's cursor in B", timeout: 10_000 })
      .not.toBeNull();
    await saveScreenshot(b, 'workspace-live-cursor');

    await b.getByRole('button', { name: `Follow ${fx().member.username}` }).click();
    await a.evaluate(() => {
      (
        window as unknown as { tesseraWorkspace: { viewer: { flyTo(r: object, now: boolean): void } } }
      ).tesseraWorkspace.viewer.flyTo({ minX: 1600, minY: 2200, maxX: 1800, maxY: 2400 }, true);
    });
    await expect
      .poll(
        async () => {
          const c = await viewCentre(b);
          return Math.abs(c.x - 1700) < 60 && Math.abs(c.y - 2300) < 60;
        },
        { message: "B's view to follow A's", timeout: 5000 },
      )
      .toBe(true);
    await a.context().close();
    await b.context().close();
  });

  it('[M4][M6] keeps editing offline, shows the pending changes, and merges on reconnect', async () => {
    const a = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    const offline = await browser.newContext();
    const b = await openWorkspace(offline, server, fx().member2, fx().image);
    const start = (await annotationsOnServer(server, fx())).length;

    await offline.setOffline(true);
    await expect
      .poll(async () => (await syncState(b)) === 'offline', {
        message: 'B to show it is offline',
        timeout: 10_000,
      })
      .toBe(true);
    await b.keyboard.press('1');
    await click(b, { x: 900, y: 100 });
    await click(b, { x: 1000, y: 100 });
    await expect.poll(() => b.getByTestId('sync-state').textContent()).toContain('2 changes waiting');
    await saveScreenshot(b, 'workspace-offline');
    await a.keyboard.press('1');
    await click(a, { x: 1100, y: 100 }); // made meanwhile online
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length === start + 1, {
        message: "A's box",
        timeout: 10_000,
      })
      .toBe(true);
    expect(await localCount(b)).toBe(start + 2); // B does not see A's box while offline

    await offline.setOffline(false);
    await expect
      .poll(async () => (await syncState(b)) === 'saved', {
        message: 'B to reconnect and save',
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length === start + 3, {
        message: 'the merge',
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await localCount(b)) === start + 3, {
        message: "B to receive A's box",
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await localCount(a)) === start + 3, {
        message: "A to receive B's boxes",
        timeout: 10_000,
      })
      .toBe(true);
    await a.context().close();
    await offline.close();
  });

  it('keeps offline work in the browser when the tab is closed before it could be sent', async () => {
    const context = await browser.newContext();
    const page = await openWorkspace(context, server, fx().member2, fx().image);
    const start = (await annotationsOnServer(server, fx())).length;
    await context.setOffline(true);
    await expect
      .poll(async () => (await syncState(page)) === 'offline', { message: 'offline', timeout: 10_000 })
      .toBe(true);
    await page.keyboard.press('1');
    const stored = await storedUpdateCount(page);
    await click(page, { x: 1200, y: 300 });
    // y-indexeddb stores each update as it happens; close the tab once the box is stored.
    await expect
      .poll(() => storedUpdateCount(page), { message: 'the box in IndexedDB' })
      .toBeGreaterThan(stored);
    await page.close();
    expect((await annotationsOnServer(server, fx())).length).toBe(start);

    await context.setOffline(false);
    const reopened = await openWorkspace(context, server, fx().member2, fx().image);
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length === start + 1, {
        message: 'the kept box on the server',
        timeout: 10_000,
      })
      .toBe(true);
    expect(await localCount(reopened)).toBe(start + 1);
    await context.close();
  });

  it('reloads while offline and keeps the work: the service worker serves the app, IndexedDB the document', async () => {
    const context = await browser.newContext();
    const page = await openWorkspace(context, server, fx().member2, fx().image);
    // The service worker takes control during the first visit; an online reload lets it keep the
    // app and the REST answers the workspace opens with.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 10_000,
    });
    const ready = () => viewerOpen(page);
    await page.reload();
    await ready();
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the document to sync',
        timeout: 15_000,
      })
      .toBe(true);
    const start = (await annotationsOnServer(server, fx())).length;

    await context.setOffline(true);
    await expect
      .poll(async () => (await syncState(page)) === 'offline', { message: 'offline', timeout: 10_000 })
      .toBe(true);
    await page.keyboard.press('1');
    const stored = await storedUpdateCount(page);
    await click(page, { x: 1300, y: 500 });
    await expect
      .poll(async () => (await localCount(page)) === start + 1, {
        message: 'the offline box',
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(() => storedUpdateCount(page), { message: 'the box in IndexedDB' })
      .toBeGreaterThan(stored);
    // Leaving with unsynced changes asks first (beforeunload): this reload is meant.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.reload();
    await ready();
    await expect
      .poll(async () => (await localCount(page)) === start + 1, {
        message: 'the box after an offline reload',
        timeout: 15_000,
      })
      .toBe(true);
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 700 });
    await expect
      .poll(async () => (await localCount(page)) === start + 2, {
        message: 'a second offline box',
        timeout: 10_000,
      })
      .toBe(true);
    await saveScreenshot(page, 'workspace-offline-reload');
    expect((await annotationsOnServer(server, fx())).length).toBe(start);

    await context.setOffline(false);
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length === start + 2, {
        message: 'both offline boxes on the server',
        timeout: 20_000,
      })
      .toBe(true);
    await context.close();
  });

  it('[M6] reloads the document after the server refuses a change, keeping the accepted work', async () => {
    const page = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    const api = new ApiClient(server.baseUrl, fx().member);
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 100 });
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the box to be saved',
        timeout: 10_000,
      })
      .toBe(true);
    const accepted = (await annotationsOnServer(server, fx())).length;
    // The set withdraws "Fibre" while this browser still offers it: the server refuses the line.
    const fibre = fx().types.get('Fibre') ?? 0;
    expect((await api.patch(`/annotations/annotation_types/${fibre}/`, { active: false })).status).toBe(200);
    // This server re-reads a set's allowed types for every update (allowedTypesTtlMs 0), so the
    // withdrawal applies at once.
    // Every state the status bar shows, recorded in the page (the refusal may pass within a frame).
    await page.evaluate(() => {
      const states: string[] = [];
      (window as unknown as { syncStates: string[] }).syncStates = states;
      const status = document.querySelector('[data-testid="sync-state"]');
      if (status === null) throw new Error('no status bar');
      new MutationObserver(() => states.push(status.getAttribute('data-state') ?? '')).observe(status, {
        attributes: true,
      });
    });
    await page.keyboard.press('3');
    await drag(page, { x: 1300, y: 300 }, { x: 1400, y: 320 });
    const seen = () => page.evaluate(() => (window as unknown as { syncStates: string[] }).syncStates);
    await expect
      .poll(async () => (await seen()).includes('refused'), { message: 'the refusal to show', timeout: 5000 })
      .toBe(true);
    await expect
      .poll(async () => (await syncState(page)) === 'saved', {
        message: 'the document to be reloaded',
        timeout: 20_000,
      })
      .toBe(true);
    await expect
      .poll(async () => (await localCount(page)) === accepted, {
        message: 'the refused line to be gone',
        timeout: 10_000,
      })
      .toBe(true);
    expect((await annotationsOnServer(server, fx())).length).toBe(accepted);
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 500 }); // and the reloaded document takes new work
    await expect
      .poll(async () => (await annotationsOnServer(server, fx())).length === accepted + 1, {
        message: 'a new box',
        timeout: 10_000,
      })
      .toBe(true);
    await api.patch(`/annotations/annotation_types/${fibre}/`, { active: true });
    await page.context().close();
  });
});
