import type {
  afterLoadDocumentPayload,
  Hocuspocus,
  beforeBroadcastStatelessPayload,
  onAwarenessUpdatePayload,
  onChangePayload,
} from '@hocuspocus/server';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { isTransactionOrigin, OutgoingMessage } from '@hocuspocus/server';
import { Redis as RedisClient } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { CommitGate, GateHolder } from './commit-gate.js';

type Publish = (channel: string | Buffer, message: string | Buffer) => Promise<number>;

/**
 * Rule P1 across servers: a peer server receives an update only once this server has committed it,
 * like any client of this server. Publishes wait at the commit gate, in order.
 */
class GatedPublisher implements GateHolder {
  private held: { after: number; send: () => void }[] = [];

  constructor(
    private readonly gate: CommitGate,
    private readonly publish: Publish,
  ) {}

  get heldCount(): number {
    return this.held.length;
  }

  send(channel: string | Buffer, message: string | Buffer): Promise<number> {
    const after = this.gate.barrier();
    if (after === 0 && this.held.length === 0) return this.publish(channel, message);
    return new Promise<number>((resolve, reject) => {
      this.held.push({
        after,
        send: () => {
          this.publish(channel, message).then(resolve, reject);
        },
      });
      this.gate.hold(this);
    });
  }

  flush(settled: number): boolean {
    let sent = 0;
    for (const message of this.held) {
      if (message.after > settled) break;
      message.send();
      sent++;
    }
    if (sent > 0) this.held = this.held.slice(sent);
    return this.held.length === 0;
  }
}

/** Milliseconds between reconnection attempts to Redis grow to this at most. */
const MAX_RETRY_MS = 2_000;

/**
 * Shares live documents between servers through Redis (TESSERA_REDIS_URL): Hocuspocus's Redis
 * extension relays each document's changes and presence to the other servers that have it loaded.
 * The update log stays the source of truth: every server logs only what its own connections send,
 * peers apply relayed changes without logging them again, and compaction (document-store.ts) takes a
 * PostgreSQL advisory lock and first applies the log rows it covers. Redis being down degrades to
 * unshared servers (logged); when it returns, every loaded document is announced again and the
 * servers exchange what they missed.
 */
export class RedisSharing extends RedisExtension {
  override readonly priority = 1000;
  private reachable = false;
  /** The extension's two connections (its own fields are typed loosely). */
  private readonly publishing: RedisClient;
  private readonly subscribing: RedisClient;

  constructor(url: string, gate: CommitGate, logger: Logger) {
    const clients: RedisClient[] = [];
    const create = () => {
      // The first client publishes: it fails at once while Redis is down (no queue growing without
      // bound). The second subscribes: its few commands wait for one reconnection attempt.
      const publishing = clients.length === 0;
      const client = new RedisClient(url, {
        enableOfflineQueue: !publishing,
        maxRetriesPerRequest: publishing ? 0 : 1,
        retryStrategy: (attempt: number) => Math.min(attempt * 200, MAX_RETRY_MS),
      });
      client.on('error', () => undefined); // reported once per state change below
      clients.push(client);
      return client;
    };
    super({ createClient: create, prefix: 'tessera', disconnectDelay: 200, awaitInitialSyncTimeout: 500 });
    const [publishing, subscribing] = clients;
    if (publishing === undefined || subscribing === undefined) throw new Error('Redis clients not created');
    this.publishing = publishing;
    this.subscribing = subscribing;
    // The extension publishes through `publishing.publish`: replaced by the gated one, which calls the original.
    const publishNow: Publish = publishing.publish.bind(publishing);
    const publisher = new GatedPublisher(gate, publishNow);
    (publishing as unknown as { publish: Publish }).publish = (channel, message) =>
      publisher.send(channel, message);
    subscribing.on('ready', () => {
      void this.reconnected(logger);
    });
    subscribing.on('close', () => {
      if (this.reachable)
        logger.error('collab: Redis unreachable, this server serves its documents unshared until it returns');
      this.reachable = false;
    });
  }

  /** Whether documents are currently shared (Redis answers). */
  get sharing(): boolean {
    return this.reachable && this.publishing.status === 'ready' && this.subscribing.status === 'ready';
  }

  /**
   * Subscribes to a loaded document and exchanges state with the servers that have it; without Redis
   * the document loads unshared (it is announced once Redis returns) rather than failing.
   */
  override async afterLoadDocument(data: afterLoadDocumentPayload): Promise<void> {
    if (!this.sharing) return;
    try {
      await super.afterLoadDocument(data);
    } catch {
      // Redis went away during the load: announced again on reconnection.
    }
  }

  /**
   * Publishes each change itself: one hop to the peers, whose cost does not grow with the document.
   * (The extension publishes a state vector and each peer answers with a diff, which it encodes from
   * its whole document: three hops, and O(document) per change.) Redis delivers in order while
   * connected; after a lost connection the state vectors exchanged on reconnection catch up.
   */
  override async onChange(data: onChangePayload): Promise<void> {
    const origin = data.transactionOrigin;
    if (!this.sharing || (isTransactionOrigin(origin) && origin.source === 'redis')) return;
    const message = new OutgoingMessage(data.documentName).createSyncMessage().writeUpdate(data.update);
    const identifier = Buffer.from(this.configuration.identifier, 'utf-8');
    // The extension's framing: the sender's identifier (so it skips its own messages), then the message.
    const framed = Buffer.concat([Buffer.from([identifier.length]), identifier, message.toUint8Array()]);
    await this.publishing
      .publish(`${this.configuration.prefix}:${data.documentName}`, framed)
      .catch(() => undefined); // Redis lost meanwhile: caught up on reconnection
  }

  override async onAwarenessUpdate(data: onAwarenessUpdatePayload): Promise<void> {
    if (this.sharing) await super.onAwarenessUpdate(data);
  }

  override async beforeBroadcastStateless(data: beforeBroadcastStatelessPayload): Promise<number> {
    if (!this.sharing) return 0;
    return super.beforeBroadcastStateless(data).catch(() => 0);
  }

  /**
   * Stops even while Redis is down: the extension quits its lock client politely first, which fails
   * on a closed connection and would skip closing the two connections.
   */
  override async onDestroy(): Promise<void> {
    try {
      await super.onDestroy();
    } catch {
      this.publishing.disconnect(false);
      this.subscribing.disconnect(false);
    }
  }

  /** The log is append-only and compaction locks in PostgreSQL: storing needs no Redis lock. */
  override async onStoreDocument(): Promise<void> {
    return Promise.resolve();
  }

  override async afterStoreDocument(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * After (re)connecting: listens on this server's reply channel again (its first subscription fails
   * when Redis is down at start), then subscribes every loaded document again and publishes its state
   * vector, so each side sends the other what it missed while Redis was down.
   */
  private async reconnected(logger: Logger): Promise<void> {
    const replies = this.subscribing
      .subscribe(`${this.configuration.prefix}#reply:${this.configuration.identifier}`)
      .then(() => undefined);
    (this as unknown as { replySubscription: Promise<void> }).replySubscription = replies;
    try {
      await replies;
    } catch (error) {
      logger.warn({ err: error }, 'collab: Redis answered but refused a subscription');
      return;
    }
    if (!this.reachable) logger.info('collab: Redis reachable, documents are shared with other servers');
    this.reachable = true;
    const instance = this.instance as Hocuspocus | undefined;
    if (instance === undefined) return;
    // Together: each waits (at most awaitInitialSyncTimeout) for a peer's answer.
    await Promise.all(
      [...instance.documents].map(async ([documentName, document]) => {
        try {
          await super.afterLoadDocument({ documentName, document } as afterLoadDocumentPayload);
        } catch (error) {
          logger.warn({ err: error, document: documentName }, 'collab: could not share a document again');
        }
      }),
    );
  }
}
