import * as Y from 'yjs';

/**
 * The Yjs client ids under which `update` carries changes `doc` does not have yet: clock ranges that
 * end past the document's state for that client. Changes the document already has (a client relaying
 * merged state, such as a local copy re-sent on reconnect) do not count, whoever made them.
 */
export function newWriters(doc: Y.Doc, update: Uint8Array): number[] {
  const { to } = Y.parseUpdateMeta(update);
  const writers: number[] = [];
  for (const [client, end] of to) {
    if (end > Y.getState(doc.store, client)) writers.push(client);
  }
  return writers;
}

/** Who owns a client id: a user, or the server's own replica of the document (its writes). */
type Owner = number | 'server';

/** Where the claims are kept (documents.repo.ts). */
export interface ClientClaims {
  clientOwners(document: string): Promise<Map<number, number>>;
  claimClients(document: string, clientIds: readonly number[], userId: number): Promise<Map<number, number>>;
}

/**
 * Rule V4: a Yjs client id belongs to the user who first wrote under it in a document. Yjs skips the
 * clock ranges a replica already has, so changes someone else sent under a writer's id would make the
 * server drop that writer's own offline changes when it reconnects, and the copies would differ for
 * good. The claims are durable (table `annotation_document_clients`, committed before the first
 * update under a new id is accepted) and held in memory per loaded document; a document is served by
 * one server at a time. The server's replica writes (REST, imports) under its own client id, which
 * no connection may use. All connections of one user share that user's ids (see the README).
 */
export class ClientIdOwners {
  /** Per live document (Hocuspocus's Y.Doc), its claims; loaded on the first update. */
  private readonly owners = new WeakMap<Y.Doc, Promise<Map<number, Owner>>>();

  constructor(private readonly claims: ClientClaims) {}

  /**
   * Claims the client ids under which `update` writes new changes for `userId`; answers why the
   * update is refused when one of them belongs to someone else, or undefined when it may pass.
   */
  async claim(name: string, doc: Y.Doc, update: Uint8Array, userId: number): Promise<string | undefined> {
    const writers = newWriters(doc, update);
    if (writers.length === 0) return undefined;
    const owners = await this.ownersOf(name, doc);
    const unclaimed: number[] = [];
    for (const client of writers) {
      const owner = owners.get(client);
      if (owner === undefined) unclaimed.push(client);
      else if (owner !== userId) return refusal(client);
    }
    if (unclaimed.length === 0) return undefined;
    // Set before the round trip: another connection's update under the same id, checked meanwhile,
    // finds it taken.
    for (const client of unclaimed) owners.set(client, userId);
    let stored: Map<number, number>;
    try {
      stored = await this.claims.claimClients(name, unclaimed, userId);
    } catch (error) {
      for (const client of unclaimed) owners.delete(client);
      throw error;
    }
    for (const client of unclaimed) {
      const owner = stored.get(client);
      if (owner === undefined) throw new Error(`client id ${client} was neither claimed nor found`);
      if (owner !== userId) {
        owners.set(client, owner);
        return refusal(client);
      }
    }
    return undefined;
  }

  private ownersOf(name: string, doc: Y.Doc): Promise<Map<number, Owner>> {
    let owners = this.owners.get(doc);
    if (owners === undefined) {
      owners = this.claims.clientOwners(name).then((claimed) => {
        const all = new Map<number, Owner>(claimed);
        all.set(doc.clientID, 'server');
        return all;
      });
      // A failed load is tried again by the next update rather than remembered.
      const loading = owners;
      loading.catch(() => {
        if (this.owners.get(doc) === loading) this.owners.delete(doc);
      });
      this.owners.set(doc, loading);
    }
    return owners;
  }
}

function refusal(client: number): string {
  return `client id ${client} belongs to another writer`;
}
