import { describe, expect, it } from 'vitest';
import { sha256 } from '../auth/secrets.js';
import { MembershipsRepo } from '../resources/memberships/memberships.repo.js';
import {
  makeFixture,
  saved,
  sessionOf,
  tokenOf,
  useCollabServer,
} from '../../../test/support/collab-server.js';

const h = useCollabServer();

describe('access while connected', () => {
  it('[A6] disconnects a member removed from the team and a deactivated user, keeps the others', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const stays = h.connect(name, { token: await tokenOf(h, fx.admin) });
    const removed = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    const deactivated = h.connect(name, { token: await tokenOf(h, fx.other) });
    await Promise.all([saved(stays), saved(removed), saved(deactivated)]);

    const membership = await new MembershipsRepo(h.db).of(fx.member.id, fx.team);
    if (!membership) throw new Error('fixture without membership');
    await new MembershipsRepo(h.db).delete(membership.id);
    await h.db.query('UPDATE users SET is_active = false WHERE id = $1', [fx.other.id]);
    await h.collab.recheckAccess();

    await expect
      .poll(() => removed.refusals.includes('access-revoked'), {
        message: 'the removed member to be disconnected',
      })
      .toBe(true);
    await expect
      .poll(() => deactivated.refusals.includes('access-revoked'), {
        message: 'the deactivated user to be disconnected',
      })
      .toBe(true);
    expect(stays.refusals).toEqual([]);
    expect(h.collab.hocuspocus.documents.get(name)?.getConnectionsCount()).toBe(1);
  });

  it('[A6] makes a reader of a set that turned private leave, and a member of a public set stay', async () => {
    const fx = await makeFixture(h, { public: true });
    const name = `image.${fx.image}`;
    const reader = h.connect(name, { token: await tokenOf(h, fx.outsider) });
    const member = h.connect(name, { token: await tokenOf(h, fx.member) });
    await Promise.all([saved(reader), saved(member)]);
    await h.collab.recheckAccess();
    expect(reader.refusals).toEqual([]);
    await h.db.query('UPDATE image_sets SET public = false WHERE id = $1', [fx.imageSet]);
    await h.collab.recheckAccess();
    await expect
      .poll(() => reader.refusals.includes('access-revoked'), { message: 'the reader to be disconnected' })
      .toBe(true);
    expect(member.refusals).toEqual([]);
  });

  it('[A6] closes the socket of a session that expired meanwhile', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const cookie = await sessionOf(h, fx.member);
    const expiring = h.connect(name, { cookie });
    const stays = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await Promise.all([saved(expiring), saved(stays)]);
    // Expiry changes nothing in the database: only the sweep notices it.
    await h.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [
      sha256(cookie),
    ]);
    await h.collab.recheckAccess();
    await expect.poll(() => expiring.refusals).toContain('access-revoked');
    expect(stays.refusals).toEqual([]);
  });
});
