import { z } from 'zod';

/**
 * What a connection publishes about itself on an image (Yjs awareness): who (set by the server from
 * the authenticated user, whatever the client claims), where the pointer is and what part of the image
 * is on screen, in image pixels. Clients may add small fields of their own (a selection, a frame).
 */
const finite = z.number();
export const presenceCursor = z.strictObject({ x: finite, y: finite });
export const presenceViewport = z.strictObject({
  x: finite,
  y: finite,
  width: finite.nonnegative(),
  height: finite.nonnegative(),
});
export const presenceUser = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});
export type PresenceUser = z.infer<typeof presenceUser>;
export type PresenceCursor = z.infer<typeof presenceCursor>;
export type PresenceViewport = z.infer<typeof presenceViewport>;

export interface Presence {
  user?: PresenceUser;
  cursor?: PresenceCursor;
  viewport?: PresenceViewport;
  [field: string]: unknown;
}

/** The largest presence state a connection may publish (its JSON), so presence stays cheap to relay. */
export const MAX_PRESENCE_BYTES = 4096;

/** A stable colour for a user who did not choose one: spread over the hue circle by id. */
export function presenceColor(userId: number): string {
  const hue = (userId * 137.508) % 360;
  const [r, g, b] = hslToRgb(hue / 360, 0.6, 0.45);
  return `#${[r, g, b]
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)];
}

/**
 * The state the server relays for a connection of `user`: the identity is the authenticated one (the
 * client's colour kept if valid), a malformed cursor or viewport is dropped, and a state too large to
 * relay is refused (null). Pure, so the client can apply it to its own state before publishing.
 */
export function sanitizePresence(state: unknown, user: { id: number; name: string }): Presence | null {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return null;
  if (JSON.stringify(state).length > MAX_PRESENCE_BYTES) return null;
  const claimed = state as Record<string, unknown>;
  const clean: Presence = { ...claimed };
  const colour = presenceUser.shape.color.safeParse((claimed.user as { color?: unknown } | undefined)?.color);
  clean.user = { id: user.id, name: user.name, color: colour.success ? colour.data : presenceColor(user.id) };
  const cursor = presenceCursor.safeParse(claimed.cursor);
  if (cursor.success) clean.cursor = cursor.data;
  else delete clean.cursor;
  const viewport = presenceViewport.safeParse(claimed.viewport);
  if (viewport.success) clean.viewport = viewport.data;
  else delete clean.viewport;
  return clean;
}
