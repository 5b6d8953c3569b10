import pg from 'pg';

/** What a listener does with the notices of its channel. */
export interface NoticeHandlers {
  /** A notice's payload, in the order PostgreSQL delivered them (after their transactions committed). */
  onNotice(payload: string): void;
  /** The connection was lost and is listening again: notices sent meanwhile were not delivered. */
  onResume(): void;
  onError(error: unknown): void;
}

/** A listening connection. */
export interface NoticeListener {
  /** Resolves once the first LISTEN has been set up. */
  readonly listening: Promise<void>;
  close(): Promise<void>;
}

/** How long a lost listening connection waits before it connects again. */
const RETRY_MS = 1_000;

/**
 * Listens on a PostgreSQL channel (LISTEN/NOTIFY) over a connection of its own: a pooled connection
 * is lent to other queries and LISTEN holds for the session. A lost connection is opened again
 * after a second, and `onResume` tells the caller that notices may have been missed.
 */
export function listenForNotices(url: string, channel: string, handlers: NoticeHandlers): NoticeListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  let listenedBefore = false;
  let resolveListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => {
    resolveListening = resolve;
  });

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url, application_name: 'tessera-notices' });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (error !== undefined) handlers.onError(error);
      if (current === client) current = undefined;
      client.end().catch(() => undefined);
      if (!closed) {
        retry = setTimeout(() => {
          retry = undefined;
          void connect();
        }, RETRY_MS);
        retry.unref();
      }
    };
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotice(message.payload ?? '');
    });
    client.on('error', onLost);
    client.on('end', () => {
      onLost();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (closed) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    if (listenedBefore) handlers.onResume();
    listenedBefore = true;
    resolveListening();
  };

  void connect();
  return {
    listening,
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
