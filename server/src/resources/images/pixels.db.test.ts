import sharp from 'sharp';
import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Image } from '@tessera/shared';
import { authenticate } from '../../auth/authenticate.middleware.js';
import { RECENT_CREDENTIAL_TTL_MS } from '../../auth/recent-credentials.js';
import { assembleHttpApp } from '../../http/app.js';
import { TilerClient } from '../../ingest/tiler.client.js';
import { createLogger } from '../../logging/logger.js';
import { listen } from '../../runtime/http-server.js';
import { ManualClock } from '../../../../test/support/clock.js';
import { Factories, type TestUser } from '../../../../test/support/factories.js';
import { ApiClient, browserLogin, type Credentials } from '../../../../test/support/http.js';
import { TEST_TILER_SECRET, useTestServer } from '../../../../test/support/server.js';
import { uploadImages } from '../../../../test/support/upload.js';
import { MembershipsRepo } from '../memberships/memberships.repo.js';
import { PIXEL_ACCESS_TTL_MS } from './pixel-access.js';
import { PIXEL_READ_PATHS, pixelsRouter } from './pixels.routes.js';
import { TileCache } from './tile-cache.js';

// A real tiler and a real converted image. Tiles are asked for from an app assembled here around the
// server's services, with a clock the test moves, so the revocation bound is crossed without waiting.
const server = useTestServer({ tiler: true });
const make = () => new Factories(server.db);
const BOUND_MS = Math.max(PIXEL_ACCESS_TTL_MS, RECENT_CREDENTIAL_TTL_MS);

/** The real tiler client, counting the tiles it was asked for: a warm tile must not be one of them. */
class CountingTiler extends TilerClient {
  asked = 0;
  override tile(...args: Parameters<TilerClient['tile']>): ReturnType<TilerClient['tile']> {
    this.asked += 1;
    return super.tile(...args);
  }
}

/** The pixel routes as the server mounts them, on a free port, with their own clock and tile cache. */
async function pixelApp() {
  const clock = new ManualClock();
  const tiles = new TileCache(1024 * 1024);
  const tiler = new CountingTiler(server.config.tilerUrl, TEST_TILER_SECRET);
  const logger = createLogger('silent');
  const app = assembleHttpApp({
    config: server.config,
    db: server.db,
    logger,
    endpoints: [],
    authentication: authenticate(server.services.auth, {
      csrfExemptPaths: new Set(),
      recentlyVerifiedPaths: PIXEL_READ_PATHS,
      recent: { clock },
    }),
    routers: [pixelsRouter(server.services.images, tiler, { access: { clock }, tiles })],
  });
  const running = await listen(app, '127.0.0.1', 0, logger);
  onTestFinished(async () => {
    await running.close(100);
    tiler.close();
  });
  return { clock, tiles, tiler, url: `http://127.0.0.1:${running.port}` };
}

const basic = (u: Credentials) => ({
  authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
});

let admin: TestUser;
let team: number;
let image: number;

beforeAll(async () => {
  admin = await make().user();
  team = await make().team({ admins: [admin] });
  const set = await make().imageSet(team, admin);
  const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#884422' } })
    .png()
    .toBuffer();
  const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'field.png', bytes: png }]);
  image = res.body.results[0]?.id ?? 0;
  const api = new ApiClient(server.baseUrl, admin);
  await vi.waitFor(
    async () => {
      const state = (await api.get<Image>(`/images/images/${image}/`)).body.state;
      if (state !== 'ready') throw new Error(`image ${image} is ${state}`);
    },
    { timeout: 60_000, interval: 100 },
  );
}, 90_000);

/** A new member of the image's team. */
async function newMember(): Promise<TestUser> {
  const member = await make().user();
  await new MembershipsRepo(server.db).insert(team, member.id, false);
  return member;
}

// The 600 x 400 image's level 10 is full size: 3 x 2 tiles of 254 px; level 9 is 2 x 1.
const tilePath = (tile = '0_0', level = 9) => `/images/image/${image}/1/1/tile_files/${level}/${tile}.jpeg`;

describe('warm tiles', () => {
  it('are answered from memory with their cache headers, and 304 for a current ETag', async () => {
    const { url, tiles, tiler } = await pixelApp();
    const member = await newMember();
    const first = await fetch(url + tilePath(), { headers: basic(member) });
    expect(first.status).toBe(200);
    const bytes = Buffer.from(await first.arrayBuffer());
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
    expect([tiles.size, tiler.asked]).toEqual([1, 1]);

    const again = await fetch(url + tilePath(), { headers: basic(member) });
    expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
    expect(tiler.asked).toBe(1);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    for (const name of ['etag', 'cache-control', 'content-type', 'content-length']) {
      expect(again.headers.get(name), name).toBe(first.headers.get(name));
    }

    for (const ifNoneMatch of [etag, `"other", W/${etag}`, '*']) {
      const revalidated = await fetch(url + tilePath(), {
        headers: { ...basic(member), 'if-none-match': ifNoneMatch },
      });
      expect(revalidated.status, ifNoneMatch).toBe(304);
      expect(revalidated.headers.get('etag')).toBe(etag);
      expect(await revalidated.text()).toBe('');
    }
    const stale = await fetch(url + tilePath(), {
      headers: { ...basic(member), 'if-none-match': '"other"' },
    });
    expect(stale.status).toBe(200);
    expect(tiler.asked).toBe(1);
  });

  it('are not served to a member removed from the team once the bound has passed', async () => {
    const { url, clock, tiles } = await pixelApp();
    const member = await newMember();
    expect((await fetch(url + tilePath(), { headers: basic(member) })).status).toBe(200);
    await server.db.query('DELETE FROM team_memberships WHERE team_id = $1 AND user_id = $2', [
      team,
      member.id,
    ]);

    // Within the bound the grant holds: that is what spares a query per tile.
    clock.advance(PIXEL_ACCESS_TTL_MS - 1);
    expect((await fetch(url + tilePath(), { headers: basic(member) })).status).toBe(200);
    clock.advance(2);
    expect(tiles.size).toBe(1);
    expect((await fetch(url + tilePath(), { headers: basic(member) })).status).toBe(404);
    expect((await fetch(url + `/images/image/${image}/1/1/tile/`, { headers: basic(member) })).status).toBe(
      404,
    );
  });

  it('stop for a revoked token, an ended session and a deactivated account within the bound', async () => {
    const { url, clock } = await pixelApp();
    const member = await newMember();
    const created = await new ApiClient(server.baseUrl, member).post<{ id: number; token: string }>(
      '/users/tokens/',
      { name: 'viewer' },
    );
    const token = { authorization: `Token ${created.body.token}` };
    const login = await browserLogin(server.baseUrl, member.username, member.password);
    const cookie = { cookie: login.cookie };
    for (const headers of [token, cookie, basic(member)]) {
      expect((await fetch(url + tilePath(), { headers })).status).toBe(200);
    }

    await new ApiClient(server.baseUrl, member).delete(`/users/tokens/${created.body.id}/`);
    await fetch(`${server.baseUrl}/api/v1/auth/logout/`, {
      method: 'POST',
      headers: { ...cookie, 'x-csrf-token': login.csrf },
    });
    await server.db.query('UPDATE users SET is_active = false WHERE id = $1', [member.id]);
    // The REST API checks every request: the change shows there at once.
    const rest = await fetch(`${server.baseUrl}/api/v1/auth/session/`, { headers: token });
    expect(rest.status).toBe(401);

    clock.advance(RECENT_CREDENTIAL_TTL_MS - 1);
    expect((await fetch(url + tilePath(), { headers: token })).status).toBe(200);
    clock.advance(2);
    for (const headers of [token, cookie, basic(member)]) {
      expect((await fetch(url + tilePath(), { headers })).status).toBe(401);
    }
  });
});

describe('every pixel route keeps its refusals, warm tiles or not', () => {
  it('401 without or with wrong credentials, 404 outside the team or the pyramid, 409 while processing', async () => {
    const { url, tiles, clock } = await pixelApp();
    const member = await newMember();
    const outsider = await make().user();
    expect((await fetch(url + tilePath(), { headers: basic(member) })).status).toBe(200);

    const pixelPaths = [tilePath(), `/images/image/${image}/1/1/tile/`];
    for (const path of pixelPaths) {
      expect((await fetch(url + path)).status, path).toBe(401);
      const wrong = basic({ ...member, password: 'not the password' });
      expect((await fetch(url + path, { headers: wrong })).status, path).toBe(401);
      expect((await fetch(url + path, { headers: { authorization: 'Token pat_x.y' } })).status, path).toBe(
        401,
      );
      expect((await fetch(url + path, { headers: basic(outsider) })).status, path).toBe(404);
      expect((await fetch(url + path, { headers: basic(admin) })).status, path).toBe(200);
    }
    for (const path of [
      tilePath('99_99'),
      tilePath('0_0', 40),
      tilePath('a_b'),
      `/images/image/${image}/1/2/tile/`,
    ]) {
      expect((await fetch(url + path, { headers: basic(member) })).status, path).toBe(404);
    }
    expect(tiles.size).toBe(1);

    const set = await make().imageSet(team, admin);
    const processing = await make().image(set, admin);
    for (const path of [
      `/images/image/${processing}/1/1/tile/`,
      `/images/image/${processing}/1/1/tile_files/0/0_0.jpeg`,
    ]) {
      expect((await fetch(url + path, { headers: basic(member) })).status, path).toBe(409);
    }
    // Refusals are not remembered: the row that becomes ready is asked again at once.
    clock.advance(1);
    await server.db.query("UPDATE images SET state = 'failed', failure_reason = 'broken' WHERE id = $1", [
      processing,
    ]);
    const failed = await fetch(`${url}/images/image/${processing}/1/1/tile/`, { headers: basic(member) });
    expect(failed.status).toBe(409);
    expect(((await failed.json()) as { detail: string }).detail).toMatch(/broken/);
  });
});

describe('the server as composed', () => {
  it('serves tiles to Basic, a token and a session cookie, and answers 304 for a current ETag', async () => {
    const member = await newMember();
    const created = await new ApiClient(server.baseUrl, member).post<{ token: string }>('/users/tokens/', {
      name: 'viewer',
    });
    const login = await browserLogin(server.baseUrl, member.username, member.password);
    const ways = [basic(member), { authorization: `Token ${created.body.token}` }, { cookie: login.cookie }];
    const bodies: Buffer[] = [];
    for (const headers of ways) {
      const res = await fetch(server.baseUrl + tilePath('0_1', 10), { headers });
      expect(res.status).toBe(200);
      bodies.push(Buffer.from(await res.arrayBuffer()));
      const etag = res.headers.get('etag') ?? '';
      const again = await fetch(server.baseUrl + tilePath('0_1', 10), {
        headers: { ...headers, 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
    }
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it('stops serving a removed member within the bound', async () => {
    const member = await newMember();
    const tile = () =>
      fetch(server.baseUrl + tilePath('1_0', 10), { headers: basic(member) }).then((r) => r.status);
    expect(await tile()).toBe(200);
    await server.db.query('DELETE FROM team_memberships WHERE team_id = $1 AND user_id = $2', [
      team,
      member.id,
    ]);
    await vi.waitFor(
      async () => {
        expect(await tile()).toBe(404);
      },
      { timeout: BOUND_MS * 3, interval: 200 },
    );
  });
});
