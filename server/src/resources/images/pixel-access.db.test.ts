import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../auth/viewer.js';
import { ManualClock } from '../../../../test/support/clock.js';
import { Factories, type TestUser } from '../../../../test/support/factories.js';
import { useTestServer } from '../../../../test/support/server.js';
import { PIXEL_ACCESS_TTL_MS, PixelAccess } from './pixel-access.js';

// No tiler: the rows are made ready by hand; what is looked at is who may reach their pixels.
const server = useTestServer({ env: { TESSERA_TILER_URL: 'http://127.0.0.1:9' } });
const make = () => new Factories(server.db);

const viewerOf = (user: TestUser): Viewer => ({
  id: user.id,
  username: user.username,
  isSuperuser: false,
  isStaff: false,
  via: 'basic',
});

async function readyImage() {
  const admin = await make().user();
  const member = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const set = await make().imageSet(team, admin);
  const id = await make().image(set, admin, 'slide.svs');
  await server.db.query("UPDATE images SET state = 'ready' WHERE id = $1", [id]);
  return { member, team, id };
}

async function removeMember(team: number, user: TestUser): Promise<void> {
  await server.db.query('DELETE FROM team_memberships WHERE team_id = $1 AND user_id = $2', [team, user.id]);
}

describe('pixel access, remembered for a bounded time', () => {
  it('keeps serving a removed member only until the bound, then answers 404', async () => {
    const { member, team, id } = await readyImage();
    const clock = new ManualClock();
    const access = new PixelAccess(server.services.images, { clock });
    const src = await access.source(viewerOf(member), id, 1);
    expect(src).toMatch(/slide\.svs/);

    await removeMember(team, member);
    // Within the bound the grant still holds: this is what spares a query per tile.
    clock.advance(PIXEL_ACCESS_TTL_MS - 1);
    await expect(access.source(viewerOf(member), id, 1)).resolves.toBe(src);
    // Past it, the membership is asked again and the removal shows.
    clock.advance(2);
    await expect(access.source(viewerOf(member), id, 1)).rejects.toMatchObject({ status: 404 });
  });

  it('does not remember a refusal: an image that becomes ready is served at once', async () => {
    const { member, id } = await readyImage();
    await server.db.query("UPDATE images SET state = 'processing' WHERE id = $1", [id]);
    const access = new PixelAccess(server.services.images, { clock: new ManualClock() });
    await expect(access.source(viewerOf(member), id, 1)).rejects.toMatchObject({ status: 409 });
    await server.db.query("UPDATE images SET state = 'ready' WHERE id = $1", [id]);
    await expect(access.source(viewerOf(member), id, 1)).resolves.toMatch(/slide\.svs/);
  });

  it('keeps grants per viewer: another user is checked on their own', async () => {
    const { member, id } = await readyImage();
    const outsider = await make().user();
    const access = new PixelAccess(server.services.images, { clock: new ManualClock() });
    await access.source(viewerOf(member), id, 1);
    await expect(access.source(viewerOf(outsider), id, 1)).rejects.toMatchObject({ status: 404 });
  });
});
