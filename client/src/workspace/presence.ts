// Presence through Yjs awareness: who is on the image, where their cursor is and what they look at, all
// in image pixels. The server relays it checked (rule A7): the user is the authenticated one.
import type { Rect } from './geometry';

export interface PresenceUser {
  id: number;
  name: string;
  color: string;
}

/** What each client publishes (the server's presence test uses the same fields). */
export interface PresenceState {
  user?: PresenceUser;
  cursor?: { x: number; y: number } | null;
  viewport?: { x: number; y: number; width: number; height: number };
  frame?: number;
}

/** Another client on the image. */
export interface Collaborator {
  clientId: number;
  user: PresenceUser;
  cursor: { x: number; y: number } | null;
  viewport: Rect | null;
  frame: number | null;
}

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

/** A stable colour per user, so a collaborator looks the same on every screen. */
export function colorOf(userId: number): string {
  return PALETTE[userId % PALETTE.length] ?? '#4363d8';
}

/** The other clients with a user, from awareness states (own client and malformed states left out). */
export function collaborators(states: ReadonlyMap<number, unknown>, ownClientId: number): Collaborator[] {
  const list: Collaborator[] = [];
  for (const [clientId, raw] of states) {
    if (clientId === ownClientId || typeof raw !== 'object' || raw === null) continue;
    const state = raw as PresenceState;
    const user = state.user;
    if (user === undefined || typeof user.name !== 'string' || typeof user.id !== 'number') continue;
    const v = state.viewport;
    const viewport = isFiniteRect(v)
      ? { minX: v.x, minY: v.y, maxX: v.x + v.width, maxY: v.y + v.height }
      : null;
    const cursor =
      state.cursor && Number.isFinite(state.cursor.x) && Number.isFinite(state.cursor.y)
        ? state.cursor
        : null;
    list.push({
      clientId,
      user: {
        id: user.id,
        name: user.name,
        color: /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#888888',
      },
      cursor,
      viewport,
      frame: typeof state.frame === 'number' ? state.frame : null,
    });
  }
  return list.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
}

function isFiniteRect(v: PresenceState['viewport']): v is NonNullable<PresenceState['viewport']> {
  return (
    v !== undefined &&
    [v.x, v.y, v.width, v.height].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    v.width > 0 &&
    v.height > 0
  );
}
