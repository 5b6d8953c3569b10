import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import { makeFixture, saved, tokenOf, useCollabServer } from '../../../test/support/collab-server.js';

const h = useCollabServer();

interface Presence {
  user?: { id: number; name: string; color: string };
  cursor?: { x: number; y: number };
  viewport?: { x: number; y: number; width: number; height: number };
}

describe('presence', () => {
  it('shows each client who else is on the image, with cursor and viewport, and who left', async () => {
    const fx = await makeFixture(h, { public: true });
    const name = `image.${fx.image}`;
    const a = h.connect(name, { token: await tokenOf(h, fx.member) });
    const reader = h.connect(name, { token: await tokenOf(h, fx.outsider) });
    await Promise.all([saved(a), saved(reader)]);
    a.provider.setAwarenessField('user', { id: fx.member.id, name: 'member', color: '#3366aa' });
    a.provider.setAwarenessField('cursor', { x: 120, y: 340 });
    a.provider.setAwarenessField('viewport', { x: 0, y: 0, width: 2000, height: 1500 });
    // Read-only viewers are seen too: presence is not an edit.
    reader.provider.setAwarenessField('user', { id: fx.outsider.id, name: 'reader', color: '#aa3366' });
    const others = (states: Map<number, Presence>) => [...states.values()].map((s) => s.user?.name).sort();
    await expect
      .poll(
        () =>
          others(reader.provider.awareness?.getStates() as Map<number, Presence>).includes(
            fx.member.username,
          ),
        { message: 'the reader to see the member' },
      )
      .toBe(true);
    const seen = [...(reader.provider.awareness?.getStates().values() ?? [])].find(
      (s) => (s as Presence).user?.name === fx.member.username,
    ) as Presence;
    expect(seen).toMatchObject({ cursor: { x: 120, y: 340 }, viewport: { width: 2000, height: 1500 } });
    await expect
      .poll(
        () =>
          others(a.provider.awareness?.getStates() as Map<number, Presence>).includes(fx.outsider.username),
        { message: 'the member to see the reader' },
      )
      .toBe(true);
    a.destroy();
    await expect
      .poll(
        () =>
          !others(reader.provider.awareness?.getStates() as Map<number, Presence>).includes(
            fx.member.username,
          ),
        { message: 'the member to leave' },
      )
      .toBe(true);
  });

  it('relays presence as the authenticated user, drops malformed fields and oversized states (A7)', async () => {
    const fx = await makeFixture(h, { public: true });
    const name = `image.${fx.image}`;
    const liar = h.connect(name, { token: await tokenOf(h, fx.member) });
    const reader = h.connect(name, { token: await tokenOf(h, fx.outsider) });
    await Promise.all([saved(liar), saved(reader)]);
    const liarId = liar.provider.awareness?.clientID ?? -1;
    const seenByReader = () => reader.provider.awareness?.getStates().get(liarId) as Presence | undefined;
    liar.provider.setAwarenessField('blob', 'x'.repeat(5000));
    liar.provider.setAwarenessField('blob', 'small');
    liar.provider.setAwarenessField('user', { id: fx.admin.id, name: 'the admin', color: '#123456' });
    liar.provider.setAwarenessField('cursor', { x: 'left', y: 3 });
    liar.provider.setAwarenessField('viewport', { x: 1, y: 2, width: 30, height: 40 });
    await expect
      .poll(() => seenByReader()?.viewport !== undefined, { message: 'the reader to see the viewport' })
      .toBe(true);
    const seen = seenByReader() as Presence & { blob?: string };
    expect(seen.user).toEqual({ id: fx.member.id, name: fx.member.username, color: '#123456' });
    expect(seen.cursor).toBeUndefined();
    expect(seen.blob).toBe('small');
  });

  it("refuses states for another connection's awareness client id (A7)", async () => {
    const fx = await makeFixture(h, { public: true });
    const name = `image.${fx.image}`;
    const victim = h.connect(name, { token: await tokenOf(h, fx.member) });
    const attacker = h.connect(name, { token: await tokenOf(h, fx.admin) });
    const reader = h.connect(name, { token: await tokenOf(h, fx.outsider) });
    await Promise.all([saved(victim), saved(attacker), saved(reader)]);
    victim.provider.setAwarenessField('cursor', { x: 1, y: 1 });
    const victimId = victim.provider.awareness?.clientID ?? -1;
    const state = (c: typeof reader) =>
      c.provider.awareness?.getStates().get(victimId) as Presence | undefined;
    await expect
      .poll(() => state(attacker)?.cursor?.x === 1 && state(reader)?.cursor?.x === 1, {
        message: 'the cursor to arrive',
      })
      .toBe(true);
    // A hand-made awareness update for the victim's client id with a newer clock.
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1);
    encoding.writeVarUint(forged, victimId);
    encoding.writeVarUint(forged, 1000);
    encoding.writeVarString(forged, JSON.stringify({ cursor: { x: 999, y: 999 } }));
    const attackerAwareness = attacker.provider.awareness;
    if (!attackerAwareness) throw new Error('no awareness');
    applyAwarenessUpdate(attackerAwareness, encoding.toUint8Array(forged), 'forged');
    // The attacker's own later field arrives; the forged state never does.
    attacker.provider.setAwarenessField('cursor', { x: 5, y: 5 });
    const attackerId = attackerAwareness.clientID;
    await expect
      .poll(
        () =>
          (reader.provider.awareness?.getStates().get(attackerId) as Presence | undefined)?.cursor?.x === 5,
        { message: "the attacker's own cursor" },
      )
      .toBe(true);
    expect(state(reader)?.cursor).toEqual({ x: 1, y: 1 });
  });
});
