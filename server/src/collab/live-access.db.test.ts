import { WebSocketStatus } from '@hocuspocus/provider';
import { annotationsOf } from '@tessera/shared';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { TestUser } from '../../../test/support/factories.js';
import type { Viewer } from '../auth/viewer.js';
import { MembershipsRepo } from '../resources/memberships/memberships.repo.js';
import { UsersService } from '../resources/users/users.service.js';
import {
  addBoxes,
  goOffline,
  makeFixture,
  saved,
  useCollabServer,
  type Client,
} from '../../../test/support/collab-server.js';
import { DocumentsRepo } from './documents.repo.js';

// No periodic sweep runs during these tests: each change must reach the open connections by itself,
// through the access notices.
const h = useCollabServer({ accessSweepMs: 3_600_000 });

type Fixture = Awaited<ReturnType<typeof makeFixture>>;

/** A signed-in browser session of `user`: its cookie and the viewer it authenticates. */
async function signIn(user: TestUser): Promise<{ cookie: string; viewer: Viewer }> {
  const session = await h.auth.login(user.username, user.password, { ip: '127.0.0.1', userAgent: null });
  return { cookie: session.sessionToken, viewer: session.viewer };
}

/** A personal access token of `user`: the secret and its id. */
async function newToken(viewer: Viewer): Promise<{ token: string; id: number }> {
  const created = await h.auth.createToken(viewer, { name: 'live access test', expires_in_days: null });
  return { token: created.token, id: created.id };
}

/** A token socket and a cookie socket of the fixture's member on the image's document, both synced. */
async function openSockets(fx: Fixture) {
  const name = `image.${fx.image}`;
  const session = await signIn(fx.member);
  const token = await newToken(session.viewer);
  const byToken = h.connect(name, { token: token.token });
  const byCookie = h.connect(name, { cookie: session.cookie });
  await Promise.all([saved(byToken), saved(byCookie)]);
  return { name, session, token, byToken, byCookie };
}

async function closedForAccess(client: Client): Promise<void> {
  await vi.waitFor(
    () => {
      expect(client.refusals).toContain('access-revoked');
    },
    { timeout: 5_000 },
  );
}

/**
 * A write made after the close never reaches the document. The client connects again (from a fresh
 * socket) and is refused (`unauthorized` or `forbidden`) before anything it queued is read: once the
 * refusal arrives, the write is known to be lost for good.
 */
async function writeIsRefused(client: Client, fx: Fixture, name: string): Promise<void> {
  const [late] = addBoxes(client, fx, fx.member.id, 1);
  const before = client.refusals.length;
  if (client.socket.status === WebSocketStatus.Connected) await goOffline(client);
  await client.socket.connect();
  await vi.waitFor(
    () => {
      expect(client.refusals.slice(before).some((r) => r === 'unauthorized' || r === 'forbidden')).toBe(true);
    },
    { timeout: 5_000 },
  );
  const served = h.collab.hocuspocus.documents.get(name);
  expect(served === undefined || !annotationsOf(served).has(late ?? '')).toBe(true);
  const logged = new Y.Doc();
  for (const row of await new DocumentsRepo(h.db).updatesAfter(name, 0)) Y.applyUpdate(logged, row.update);
  expect(annotationsOf(logged).has(late ?? '')).toBe(false);
}

describe('open sockets follow credential changes', () => {
  it('[A6] a revoked token closes its socket at once; the cookie socket stays', async () => {
    const fx = await makeFixture(h);
    const { name, session, token, byToken, byCookie } = await openSockets(fx);
    addBoxes(byToken, fx, fx.member.id, 1);
    await saved(byToken);

    await h.auth.revokeToken(session.viewer, token.id);
    await closedForAccess(byToken);
    await writeIsRefused(byToken, fx, name);
    expect(byCookie.refusals).toEqual([]);
  });

  it('[A6] a password change closes the other sessions’ and every token’s sockets; the changing session stays', async () => {
    const fx = await makeFixture(h);
    const { name, session, byToken, byCookie } = await openSockets(fx);
    const other = await signIn(fx.member);
    const otherCookie = h.connect(name, { cookie: other.cookie });
    await saved(otherCookie);
    addBoxes(byCookie, fx, fx.member.id, 1);
    await saved(byCookie);

    await new UsersService(h.db).update(session.viewer, fx.member.id, {
      password: 'a brand new password',
      current_password: fx.member.password,
    });
    await closedForAccess(byToken);
    await closedForAccess(otherCookie);
    await writeIsRefused(byToken, fx, name);
    expect(byCookie.refusals).toEqual([]);
    addBoxes(byCookie, fx, fx.member.id, 1);
    await saved(byCookie);
    expect(await h.auth.resumeSession(session.cookie)).not.toBeNull();
  });

  it('[A6] deactivating the user closes both sockets', async () => {
    const fx = await makeFixture(h);
    const { name, byToken, byCookie } = await openSockets(fx);
    const superuser = await h.factories.user({ superuser: true });
    const admin = (await signIn(superuser)).viewer;

    await new UsersService(h.db).update(admin, fx.member.id, { is_active: false });
    await closedForAccess(byToken);
    await closedForAccess(byCookie);
    await writeIsRefused(byToken, fx, name);
  });

  it('[A6] removing the membership closes both; a write after it is refused', async () => {
    const fx = await makeFixture(h);
    const { name, byToken, byCookie } = await openSockets(fx);
    const memberships = new MembershipsRepo(h.db);
    const membership = await memberships.of(fx.member.id, fx.team);
    if (!membership) throw new Error('fixture without membership');

    await memberships.delete(membership.id);
    await closedForAccess(byToken);
    await closedForAccess(byCookie);
    await writeIsRefused(byCookie, fx, name);
  });
});
