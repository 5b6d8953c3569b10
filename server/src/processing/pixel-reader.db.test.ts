import sharp from 'sharp';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Image } from '@tessera/shared';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { uploadImages } from '../../../test/support/upload.js';
import type { Viewer } from '../auth/viewer.js';

// Plugins read pixels through the tiler as raw RGB (region.rgb), as their caller: whole regions,
// scaled down, larger than one tiler region, and refused where the caller does not see the image.
const server = useTestServer({ tiler: true });
let member: TestUser;
let outsider: TestUser;
let image: number;
const viewerOf = (u: TestUser): Viewer => ({
  id: u.id,
  username: u.username,
  isSuperuser: false,
  isStaff: false,
  via: 'token',
});

beforeAll(async () => {
  const f = new Factories(server.db);
  [member, outsider] = [await f.user(), await f.user()];
  const team = await f.team({ admins: [member] });
  const set = await f.imageSet(team, member);
  // 600 x 400: the left half red, the right half blue.
  const raw = Buffer.alloc(600 * 400 * 3);
  for (let i = 0; i < 600 * 400; i++) raw.set(i % 600 < 300 ? [255, 0, 0] : [0, 0, 255], i * 3);
  const png = await sharp(raw, { raw: { width: 600, height: 400, channels: 3 } })
    .png()
    .toBuffer();
  image =
    (await uploadImages(server.baseUrl, member, set, [{ name: 'halves.png', bytes: png }])).body.results[0]
      ?.id ?? 0;
  await vi.waitFor(
    async () => {
      const state = (await new ApiClient(server.baseUrl, member).get<Image>(`/images/images/${image}/`)).body
        .state;
      if (state !== 'ready') throw new Error(`image ${image} is ${state}`);
    },
    { timeout: 60_000, interval: 100 },
  );
}, 90_000);

// The pyramid of a converted image is JPEG: colours come back within a few levels of what was drawn.
const pixel = (p: { data: Uint8Array; width: number }, x: number, y: number) =>
  Array.from(p.data.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3)).map(
    (v) => Math.round(v / 16) * 16,
  );

describe('readPixels', () => {
  it('reads a full-resolution region in place', async () => {
    const context = server.services.processing.host.routeContext(viewerOf(member), image, {});
    const p = await context.readPixels(image, { x: 290, y: 10, width: 20, height: 4 });
    expect([p.width, p.height, p.channels, p.data.length]).toEqual([20, 4, 3, 20 * 4 * 3]);
    expect(pixel(p, 9, 0)).toEqual([256, 0, 0]);
    expect(pixel(p, 10, 3)).toEqual([0, 0, 256]);
  });

  it('scales down by the downsample asked for', async () => {
    const context = server.services.processing.host.routeContext(viewerOf(member), image, {});
    const p = await context.readPixels(image, { x: 0, y: 0, width: 600, height: 400 }, 4);
    expect([p.width, p.height]).toEqual([150, 100]);
    expect(pixel(p, 10, 50)).toEqual([256, 0, 0]);
    expect(pixel(p, 140, 50)).toEqual([0, 0, 256]);
  });

  it('reads a region wider than one tiler region, white outside the image', async () => {
    const context = server.services.processing.host.routeContext(viewerOf(member), image, {});
    const p = await context.readPixels(image, { x: 0, y: 0, width: 3000, height: 2 });
    expect(p.width).toBe(3000);
    expect(pixel(p, 0, 1)).toEqual([256, 0, 0]);
    expect(pixel(p, 599, 1)).toEqual([0, 0, 256]);
    expect(pixel(p, 2999, 1)).toEqual([256, 256, 256]);
  });

  it('refuses bad regions (400) and images the caller does not see (404)', async () => {
    const context = server.services.processing.host.routeContext(viewerOf(member), image, {});
    await expect(context.readPixels(image, { x: 0, y: 0, width: 0, height: 5 })).rejects.toMatchObject({
      status: 400,
    });
    await expect(context.readPixels(image, { x: 0, y: 0, width: 5, height: 5 }, 0.5)).rejects.toMatchObject({
      status: 400,
    });
    const stranger = server.services.processing.host.routeContext(viewerOf(outsider), image, {});
    await expect(stranger.readPixels(image, { x: 0, y: 0, width: 5, height: 5 })).rejects.toMatchObject({
      status: 404,
    });
  });
});
