// Live and offline work in the workspace: two Chromium contexts on one image see each other's edits and
// cursors within a second and can follow each other's view; a context taken offline keeps editing,
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
  syncState,
  waitUntil,
} from './workspace.fixture.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
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

/**
 * Starts watching, inside `page`, for `name`'s cursor to appear there; resolves with the wall-clock
 * time it did (polled every 5 ms in the page, so Playwright's round trips under load do not count).
 */
function cursorSeenAt(page: Page, name: string): Promise<number> {
  return page.evaluate(
    (who) =>
      new Promise<number>((resolve) => {
        const giveUp = Date.now() + 10_000; // never seen: infinitely late
        const check = () => {
          const seen = (window as unknown as PresenceWindow).tesseraWorkspace
            .getSnapshot()
            .collaborators.find((c) => c.user.name === who)?.cursor;
          if (seen) resolve(Date.now());
          else if (Date.now() > giveUp) resolve(Number.POSITIVE_INFINITY);
          else setTimeout(check, 5);
        };
        check();
      }),
    name,
  );
}

/** Records, inside `page`, the wall-clock time of its next pointer event of `type` (read with `movedAt`). */
async function watchPointer(page: Page, type = 'pointermove'): Promise<void> {
  await page.evaluate((eventType) => {
    const w = window as unknown as { movedAt?: number };
    w.movedAt = undefined;
    addEventListener(eventType, () => (w.movedAt ??= Date.now()), { capture: true, once: true });
  }, type);
}

/** Like `cursorSeenAt`: when `page`'s workspace first holds `count` annotations. */
function countSeenAt(page: Page, count: number): Promise<number> {
  return page.evaluate(
    (wanted) =>
      new Promise<number>((resolve) => {
        const giveUp = Date.now() + 10_000;
        const check = () => {
          const w = window as unknown as { tesseraWorkspace?: { index: { size: number } } };
          if (w.tesseraWorkspace?.index.size === wanted) resolve(Date.now());
          else if (Date.now() > giveUp) resolve(Number.POSITIVE_INFINITY);
          else setTimeout(check, 5);
        };
        check();
      }),
    count,
  );
}

function movedAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { movedAt?: number }).movedAt ?? Number.NaN);
}

describe.skipIf(lacking('chromium', 'openslide'))('live collaboration in the browser', () => {
  it("shows each browser the other's edits and cursor within a second, and follows a view", async () => {
    const a = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    const b = await openWorkspace(await browser.newContext(), server, fx().member2, fx().image);
    const before = await localCount(b);

    await a.keyboard.press('1');
    // The edit's latency: from A's click (its pointer up) to the box in B's index, read in the pages.
    await watchPointer(a, 'pointerup');
    const boxSeen = countSeenAt(b, before + 1);
    await click(a, { x: 300, y: 300 });
    const editMs = (await boxSeen) - (await movedAt(a));

    // A cursor's latency: from the pointer event in one page to the cursor in the other's state, both
    // read in the pages themselves (one machine, one clock).
    const box = await b.locator('.annotation-canvas').boundingBox();
    expect(box).not.toBeNull();
    await watchPointer(b);
    const bSeen = cursorSeenAt(a, fx().member2.username);
    await b.mouse.move((box?.x ?? 0) + 200, (box?.y ?? 0) + 150);
    const cursorMs = (await bSeen) - (await movedAt(b));
    expect(editMs).toBeLessThan(1000);
    expect(cursorMs).toBeLessThan(1000);
    await watchPointer(a);
    const aSeen = cursorSeenAt(b, fx().member.username);
    await a.mouse.move((box?.x ?? 0) + 300, (box?.y ?? 0) + 300);
    expect((await aSeen) - (await movedAt(a))).toBeLessThan(1000);
    await saveScreenshot(b, 'workspace-live-cursor');

    await b.getByRole('button', { name: `Follow ${fx().member.username}` }).click();
    await a.evaluate(() => {
      (
        window as unknown as { tesseraWorkspace: { viewer: { flyTo(r: object, now: boolean): void } } }
      ).tesseraWorkspace.viewer.flyTo({ minX: 1600, minY: 2200, maxX: 1800, maxY: 2400 }, true);
    });
    await waitUntil(
      async () => {
        const c = await viewCentre(b);
        return Math.abs(c.x - 1700) < 60 && Math.abs(c.y - 2300) < 60;
      },
      "B's view to follow A's",
      5000,
    );
    await a.context().close();
    await b.context().close();
  });

  it('keeps editing offline, shows the pending changes, and merges on reconnect', async () => {
    const a = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    const offline = await browser.newContext();
    const b = await openWorkspace(offline, server, fx().member2, fx().image);
    const start = (await annotationsOnServer(server, fx())).length;

    await offline.setOffline(true);
    await waitUntil(async () => (await syncState(b)) === 'offline', 'B to show it is offline');
    await b.keyboard.press('1');
    await click(b, { x: 900, y: 100 });
    await click(b, { x: 1000, y: 100 });
    await expect.poll(() => b.getByTestId('sync-state').textContent()).toContain('2 changes waiting');
    await saveScreenshot(b, 'workspace-offline');
    await a.keyboard.press('1');
    await click(a, { x: 1100, y: 100 }); // made meanwhile online
    await waitUntil(async () => (await annotationsOnServer(server, fx())).length === start + 1, "A's box");
    expect(await localCount(b)).toBe(start + 2); // B does not see A's box while offline

    await offline.setOffline(false);
    await waitUntil(async () => (await syncState(b)) === 'saved', 'B to reconnect and save', 15_000);
    await waitUntil(async () => (await annotationsOnServer(server, fx())).length === start + 3, 'the merge');
    await waitUntil(async () => (await localCount(b)) === start + 3, "B to receive A's box");
    await waitUntil(async () => (await localCount(a)) === start + 3, "A to receive B's boxes");
    await a.context().close();
    await offline.close();
  });

  it('keeps offline work in the browser when the tab is closed before it could be sent', async () => {
    const context = await browser.newContext();
    const page = await openWorkspace(context, server, fx().member2, fx().image);
    const start = (await annotationsOnServer(server, fx())).length;
    await context.setOffline(true);
    await waitUntil(async () => (await syncState(page)) === 'offline', 'offline');
    await page.keyboard.press('1');
    await click(page, { x: 1200, y: 300 });
    // y-indexeddb stores each update as it happens; give the write its moment, then close the tab.
    await new Promise((r) => setTimeout(r, 500));
    await page.close();
    expect((await annotationsOnServer(server, fx())).length).toBe(start);

    await context.setOffline(false);
    const reopened = await openWorkspace(context, server, fx().member2, fx().image);
    await waitUntil(
      async () => (await annotationsOnServer(server, fx())).length === start + 1,
      'the kept box on the server',
    );
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
    const ready = async () => {
      await page.waitForFunction(
        () =>
          (
            window as unknown as { tesseraWorkspace?: { viewer?: { transform(): unknown } } }
          ).tesseraWorkspace?.viewer?.transform() != null,
        undefined,
        { timeout: 15_000 },
      );
    };
    await page.reload();
    await ready();
    await waitUntil(async () => (await syncState(page)) === 'saved', 'the document to sync', 15_000);
    const start = (await annotationsOnServer(server, fx())).length;

    await context.setOffline(true);
    await waitUntil(async () => (await syncState(page)) === 'offline', 'offline');
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 500 });
    await waitUntil(async () => (await localCount(page)) === start + 1, 'the offline box');
    await new Promise((r) => setTimeout(r, 500)); // y-indexeddb's write
    await page.reload();
    await ready();
    await waitUntil(
      async () => (await localCount(page)) === start + 1,
      'the box after an offline reload',
      15_000,
    );
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 700 });
    await waitUntil(async () => (await localCount(page)) === start + 2, 'a second offline box');
    await saveScreenshot(page, 'workspace-offline-reload');
    expect((await annotationsOnServer(server, fx())).length).toBe(start);

    await context.setOffline(false);
    await waitUntil(
      async () => (await annotationsOnServer(server, fx())).length === start + 2,
      'both offline boxes on the server',
      20_000,
    );
    await context.close();
  });

  it('reloads the document after the server refuses a change, keeping the accepted work', async () => {
    const page = await openWorkspace(await browser.newContext(), server, fx().member, fx().image);
    const api = new ApiClient(server.baseUrl, fx().member);
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 100 });
    await waitUntil(async () => (await syncState(page)) === 'saved', 'the box to be saved');
    const accepted = (await annotationsOnServer(server, fx())).length;
    // The set withdraws "Fibre" while this browser still offers it: the server refuses the line.
    const fibre = fx().types.get('Fibre') ?? 0;
    expect((await api.patch(`/annotations/annotation_types/${fibre}/`, { active: false })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 5500)); // the server caches a set's allowed types for 5 s
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
    await waitUntil(async () => (await seen()).includes('refused'), 'the refusal to show', 5000);
    await waitUntil(async () => (await syncState(page)) === 'saved', 'the document to be reloaded', 20_000);
    await waitUntil(async () => (await localCount(page)) === accepted, 'the refused line to be gone');
    expect((await annotationsOnServer(server, fx())).length).toBe(accepted);
    await page.keyboard.press('1');
    await click(page, { x: 1300, y: 500 }); // and the reloaded document takes new work
    await waitUntil(
      async () => (await annotationsOnServer(server, fx())).length === accepted + 1,
      'a new box',
    );
    await api.patch(`/annotations/annotation_types/${fibre}/`, { active: true });
    await page.context().close();
  });
});
