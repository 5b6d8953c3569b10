// Conflicts made visible (docs/SPEC-collab.md C1-C3): two users move and describe the same box at
// once, one of them offline; after the merge the user whose values lost sees the box, who won and
// "Apply mine", which writes their values again for everyone.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './support/browser.js';
import {
  annotationsOnServer,
  click,
  drag,
  openWorkspace,
  setUpWorkspace,
  syncState,
} from './support/workspace.js';
import { useTestServer } from '../support/server.js';
import { slide, uploadReadyImage } from '../support/upload.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

interface ConflictWindow {
  tesseraWorkspace: {
    index: { get(id: string): { record: { description: string; vector: { x1: number } } } | undefined };
  };
}

/** The description a page's workspace shows for an annotation. */
function localDescription(page: Page, id: string): Promise<string | null> {
  return page.evaluate(
    (which) =>
      (window as unknown as ConflictWindow).tesseraWorkspace.index.get(which)?.record.description ?? null,
    id,
  );
}

/** Selects the box at `at`, drags it by `by`, and saves `text` as its description. */
async function moveAndDescribe(
  page: Page,
  at: { x: number; y: number },
  by: { x: number; y: number },
  text: string,
) {
  await page.keyboard.press('v');
  await click(page, at);
  await drag(page, at, { x: at.x + by.x, y: at.y + by.y });
  await page.getByRole('textbox', { name: 'Description' }).fill(text);
  await page.getByRole('button', { name: 'Save description' }).click();
}

/**
 * A draws a box at `at`; B, offline, moves it right and describes it; A, online, moves it down and
 * describes it; B reconnects. The one whose values lost sees the conflict and applies theirs again.
 */
async function conflictScenario(image: number, at: { x: number; y: number }): Promise<void> {
  const aContext = await browser.newContext();
  const bContext = await browser.newContext();
  const a = await openWorkspace(aContext, server, fx().member, image);
  const b = await openWorkspace(bContext, server, fx().member2, image);
  await a.keyboard.press('1');
  await click(a, at); // a 50 x 50 box around it
  const drawn = async () =>
    (await annotationsOnServer(server, fx(), image)).find(
      (x) => Math.abs((x.vector?.['y1'] ?? 0) - (at.y - 25)) < 3,
    );
  await expect
    .poll(async () => (await drawn()) !== undefined, { message: 'the box', timeout: 10_000 })
    .toBe(true);
  const id = (await drawn())?.unique_identifier ?? '';
  const onServer = async () =>
    (await annotationsOnServer(server, fx(), image)).find((x) => x.unique_identifier === id);
  await expect.poll(() => localDescription(b, id), { message: 'the box in B', timeout: 10_000 }).toBe('');

  await bContext.setOffline(true);
  await expect.poll(() => syncState(b), { message: 'B offline', timeout: 10_000 }).toBe('offline');
  await moveAndDescribe(b, at, { x: 100, y: 0 }, 'B: an atypical mitosis');
  await expect.poll(() => localDescription(b, id)).toBe('B: an atypical mitosis');
  // A's edits come later, online: B's offline ones are the older.
  await moveAndDescribe(a, at, { x: 0, y: 100 }, 'A: not a mitosis');
  await expect
    .poll(async () => (await onServer())?.description, {
      message: "A's edit on the server",
      timeout: 10_000,
    })
    .toBe('A: not a mitosis');

  await bContext.setOffline(false);
  await expect.poll(() => syncState(b), { message: 'B to reconnect', timeout: 15_000 }).toBe('saved');
  // M2: both browsers end with the same one of the two values, for both fields.
  await expect
    .poll(async () => (await localDescription(a, id)) === (await localDescription(b, id)), {
      timeout: 10_000,
    })
    .toBe(true);
  const won = await localDescription(a, id);
  const aLost = won === 'B: an atypical mitosis';
  const [loser, winner] = aLost ? [a, b] : [b, a];
  const mine = aLost ? 'A: not a mitosis' : 'B: an atypical mitosis';
  const winnerName = aLost ? fx().member2.username : fx().member.username;

  const conflict = loser.getByTestId('conflict').first();
  await expect
    .poll(() => loser.getByTestId('conflict').count(), { message: 'the conflict', timeout: 10_000 })
    .toBe(1);
  expect(await conflict.getAttribute('data-annotation')).toBe(id);
  await expect
    .poll(() => conflict.getByTestId('conflict-winner').textContent(), { timeout: 5000 })
    .toBe(winnerName);
  expect(await conflict.textContent()).toContain('position or shape');
  expect(await conflict.textContent()).toContain('description');
  expect(await conflict.getByTestId('conflict-text').textContent()).toBe(mine);
  // C2: A's value was lost to B's offline edit, made before A's.
  expect(await conflict.getByTestId('conflict-older').count()).toBe(aLost ? 1 : 0);
  expect(await winner.getByTestId('conflict').count()).toBe(0);
  await saveScreenshot(loser, 'workspace-conflict');

  await conflict.getByRole('button', { name: 'Apply mine' }).click();
  await expect
    .poll(async () => (await onServer())?.description, { message: 'mine on the server', timeout: 10_000 })
    .toBe(mine);
  const x1 = (await onServer())?.vector?.['x1'] ?? 0;
  expect(Math.abs(x1 - (at.x - 25 + (aLost ? 0 : 100)))).toBeLessThan(3);
  await expect
    .poll(() => localDescription(winner, id), { message: 'mine for the other user', timeout: 10_000 })
    .toBe(mine);
  expect(await conflict.textContent()).toContain('Yours applied again');
  // C3: writing one's value again is an ordinary later edit, no conflict for the other user.
  expect(await winner.getByTestId('conflict').count()).toBe(0);
  await aContext.close();
  await bContext.close();
}

describe.skipIf(lacking('chromium', 'openslide'))('conflicts in the browser', () => {
  it('[M2][C1][C2][C3] shows the losing user the box, the winner and "Apply mine", which restores theirs for everyone', async () => {
    await conflictScenario(fx().image, { x: 700, y: 1000 });
  });

  it('[C1][G4] shows a conflict in a region document of an image with regions the same way', async () => {
    const image = await uploadReadyImage(server.baseUrl, fx().member, fx().set, {
      name: 'regions.svs',
      bytes: await slide('synthetic-aperio-3000x2000.svs'),
    });
    // Regions of 1,024 px before any annotation (G1); the box and both moves stay inside region 0.0.
    await server.db.query('UPDATE images SET annotation_region_size = 1024 WHERE id = $1', [image]);
    await conflictScenario(image, { x: 500, y: 500 });
  });
});
