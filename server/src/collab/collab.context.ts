import type { Viewer } from '../auth/viewer.js';
import type { DocumentGrant } from '../access/policy/document-grant.js';

/** What the authentication extension leaves in a connection's Hocuspocus context. */
export interface CollabContext {
  readonly viewer: Viewer;
  readonly grant: DocumentGrant;
}

/** A connection's context, checked: hooks of connections that never authenticated have none. */
export function contextOf(context: unknown): CollabContext {
  const c = context as Partial<CollabContext> | undefined;
  if (c?.viewer === undefined || c.grant === undefined) throw new Error('connection without authentication');
  return c as CollabContext;
}

/**
 * Points an open connection's grant at the image's current set after the image moved (migration
 * 0015 notifies the old set): later updates are checked against the new set's annotation types, and
 * the new set's access notices reach the connection. Role and read-only stay: a check never widens.
 */
export function followImageSet(context: CollabContext, imageSetId: number): void {
  (context as { grant: DocumentGrant }).grant = { ...context.grant, imageSetId };
}

/**
 * The refusal Hocuspocus sends to the client (`reason`) when a hook throws it. The message stays
 * empty so that Hocuspocus does not print it to the console: the extensions log refusals themselves.
 */
export class CollabRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly code = 4403,
  ) {
    super('');
    this.name = 'CollabRefusal';
  }
}
