import { describe, expect, it } from 'vitest';
import { makeFixture, saved, tokenOf, useCollabServer, waitFor } from './collab.test-helpers.js';

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
    await waitFor(
      () => others(reader.provider.awareness?.getStates() as Map<number, Presence>).includes('member'),
      'the reader to see the member',
    );
    const seen = [...(reader.provider.awareness?.getStates().values() ?? [])].find(
      (s) => (s as Presence).user?.name === 'member',
    ) as Presence;
    expect(seen).toMatchObject({ cursor: { x: 120, y: 340 }, viewport: { width: 2000, height: 1500 } });
    await waitFor(
      () => others(a.provider.awareness?.getStates() as Map<number, Presence>).includes('reader'),
      'the member to see the reader',
    );
    a.destroy();
    await waitFor(
      () => !others(reader.provider.awareness?.getStates() as Map<number, Presence>).includes('member'),
      'the member to leave',
    );
  });
});
