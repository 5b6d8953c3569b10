import type { beforeHandleAwarenessPayload, Extension, onDisconnectPayload } from '@hocuspocus/server';
import { sanitizePresence } from '@tessera/shared';
import { contextOf } from './collab.context.js';

/**
 * Presence (Yjs awareness) is relayed, not trusted (README rule A7): each state a connection sends is
 * rewritten to carry its authenticated user (no one can appear as someone else), malformed cursors and
 * viewports are dropped, oversized states are not relayed, and a connection may only publish states for
 * the awareness client ids it announced first: it cannot overwrite or remove another connection's.
 */
export class PresenceExtension implements Extension {
  readonly extensionName = 'tessera-presence';
  /** Per document: awareness client id -> the socket of the connection that announced it. */
  private readonly owners = new Map<string, Map<number, string>>();

  async beforeHandleAwareness(data: beforeHandleAwarenessPayload): Promise<void> {
    // Server-side changes (direct connections) carry no connection: nothing to check.
    if (data.connection === undefined) return;
    const { viewer } = contextOf(data.context);
    const owners = this.owners.get(data.documentName) ?? new Map<number, string>();
    this.owners.set(data.documentName, owners);
    for (const [clientId, state] of data.states) {
      const owner = owners.get(clientId);
      if (owner !== undefined && owner !== data.socketId) {
        data.states.delete(clientId);
        continue;
      }
      owners.set(clientId, data.socketId);
      const clean = sanitizePresence(state, { id: viewer.id, name: viewer.username });
      if (clean === null) data.states.delete(clientId);
      else data.states.set(clientId, clean);
    }
    return Promise.resolve();
  }

  async onDisconnect(data: onDisconnectPayload): Promise<void> {
    const owners = this.owners.get(data.documentName);
    if (owners === undefined) return;
    for (const [clientId, socketId] of owners) if (socketId === data.socketId) owners.delete(clientId);
    if (owners.size === 0) this.owners.delete(data.documentName);
    return Promise.resolve();
  }
}
