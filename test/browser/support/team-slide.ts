// A team of one admin with an image set, a product of the given annotation types and the small CMU
// slide, uploaded and tiled: the scene of tests that need their own types on a real slide.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { Factories, type TestUser } from '../../support/factories.js';
import { ApiClient } from '../../support/http.js';
import type { TestServer } from '../../support/server.js';
import { slide, uploadImages } from '../../support/upload.js';

export interface TeamSlide {
  readonly member: TestUser;
  readonly team: number;
  readonly image: number;
  /** The types' ids in the order given. */
  readonly types: number[];
  readonly api: ApiClient;
}

/** Sets up the team, its types and the slide, and waits until the slide is ready. */
export async function teamSlide(
  server: TestServer,
  types: readonly { name: string; vector_type: number }[],
): Promise<TeamSlide> {
  const f = new Factories(server.db);
  const member = await f.user();
  const team = await f.team({ admins: [member] });
  const set = await f.imageSet(team, member);
  const product = await f.product(team, member, [set]);
  const ids: number[] = [];
  for (const [i, t] of types.entries())
    ids.push(await f.annotationType(product, { ...t, sort_order: i + 1 }));
  const upload = await uploadImages(server.baseUrl, member, set, [
    { name: 'CMU-1-Small-Region.svs', bytes: await slide('CMU-1-Small-Region.svs') },
  ]);
  const image = upload.body.results[0]?.id ?? 0;
  const api = new ApiClient(server.baseUrl, member);
  await expect
    .poll(async () => (await api.get<{ state: string }>(`/images/images/${image}/`)).body.state, {
      timeout: 60_000,
    })
    .toBe('ready');
  return { member, team, image, types: ids, api };
}

/** Moves the workspace's view onto a rectangle of the image at once. */
export async function flyTo(page: Page, rect: { minX: number; minY: number; maxX: number; maxY: number }) {
  await page.evaluate((r) => {
    (
      window as unknown as {
        tesseraWorkspace: { viewer: { flyTo(rect: typeof r, immediately: boolean): void } };
      }
    ).tesseraWorkspace.viewer.flyTo(r, true);
  }, rect);
}
