import { annotationsOf } from '@tessera/shared';
import { describe, expect, it, vi } from 'vitest';
import {
  addBoxes,
  goOffline,
  makeFixture,
  saved,
  sessionOf,
  tokenOf,
  useCollabServer,
  type Client,
} from '../../../test/support/collab-server.js';

const h = useCollabServer();

/** Writes one box from `attacker` under `clientId` and waits for the server to refuse it. */
async function borrowAndBeRefused(
  attacker: Client,
  clientId: number,
  fx: Awaited<ReturnType<typeof makeFixture>>,
  userId: number,
): Promise<string> {
  // A writer's client id is in every item it wrote; the attacker's next items take its next clocks.
  attacker.doc.clientID = clientId;
  const [borrowed] = addBoxes(attacker, fx, userId, 1);
  await vi.waitFor(() => {
    expect(attacker.refusals.some((r) => r.startsWith('invalid-update: client id'))).toBe(true);
  });
  if (borrowed === undefined) throw new Error('no box written');
  return borrowed;
}

/** The ids of the annotations the server's live document holds. */
function serverAnnotations(name: string): string[] {
  const doc = h.collab.hocuspocus.documents.get(name);
  if (!doc) throw new Error(`${name} is not loaded`);
  return [...annotationsOf(doc).keys()].sort();
}

describe('client ids belong to their writers', () => {
  it('[V4][M6] an update under another user’s client id is refused; their offline edits all arrive', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const victim = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(victim);
    const before = addBoxes(victim, fx, fx.member.id, 1);
    await saved(victim);
    await goOffline(victim);
    const away = addBoxes(victim, fx, fx.member.id, 2);

    const attacker = h.connect(name, { token: await tokenOf(h, fx.other) });
    await saved(attacker);
    const borrowed = await borrowAndBeRefused(attacker, victim.doc.clientID, fx, fx.other.id);

    await victim.socket.connect();
    await saved(victim);
    const mine = [...before, ...away].sort();
    expect([...annotationsOf(victim.doc).keys()].sort()).toEqual(mine);
    expect(serverAnnotations(name)).toEqual(mine);
    expect(serverAnnotations(name)).not.toContain(borrowed);
  });

  it('[V4] the claim outlives the server: after a restart the id still belongs to its writer', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const writer = h.connect(name, { token: await tokenOf(h, fx.member) });
    await saved(writer);
    addBoxes(writer, fx, fx.member.id, 1);
    await saved(writer);
    const clientId = writer.doc.clientID;
    await h.restart();

    const attacker = h.connect(name, { token: await tokenOf(h, fx.other) });
    await saved(attacker);
    await borrowAndBeRefused(attacker, clientId, fx, fx.other.id);
  });

  it('[V4] the server’s own client id (REST writes) is no connection’s to use', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const attacker = h.connect(name, { token: await tokenOf(h, fx.other) });
    await saved(attacker);
    const server = h.collab.hocuspocus.documents.get(name);
    if (!server) throw new Error('document not loaded');
    await borrowAndBeRefused(attacker, server.clientID, fx, fx.other.id);
  });

  it('[V4] the same user’s connections share a client id (a document reloaded on a new socket)', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const first = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(first);
    addBoxes(first, fx, fx.member.id, 1);
    await saved(first);

    const second = h.connect(name, { token: await tokenOf(h, fx.member) });
    await saved(second);
    second.doc.clientID = first.doc.clientID;
    const more = addBoxes(second, fx, fx.member.id, 1);
    await saved(second);
    expect(second.refusals).toEqual([]);
    expect(serverAnnotations(name)).toContain(more[0]);
  });
});
