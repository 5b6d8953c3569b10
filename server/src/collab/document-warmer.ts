import type { Hocuspocus } from '@hocuspocus/server';
import type { Logger } from '../logging/logger.js';

/** How long a warmed document is held open for the connection expected to follow. */
const HOLD_MS = 20_000;

interface Hold {
  timer: NodeJS.Timeout;
  release: () => Promise<void>;
}

/**
 * Loads a live document ahead of the WebSocket that is about to ask for it (README rule S1): after a
 * browser fetched a document's snapshot it applies it, then connects; loading the document on the
 * server meanwhile means the connection finds it ready. A held document stays loaded for HOLD_MS
 * (a direct connection that never writes), then is let go like any other.
 */
export class DocumentWarmer {
  private readonly holds = new Map<string, Hold>();
  private closed = false;

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly logger: Logger,
    private readonly holdMs = HOLD_MS,
  ) {}

  /**
   * Starts loading `document` (if not held already) and holds it for `holdMs` (by default the
   * warmer's), or holds it that much longer if it is held already.
   */
  warm(document: string, userId: number | null, holdMs = this.holdMs): void {
    if (this.closed) return;
    const held = this.holds.get(document);
    if (held !== undefined) {
      held.timer.refresh();
      return;
    }
    const opening = this.hocuspocus.openDirectConnection(document, { userId });
    const release = async () => {
      this.holds.delete(document);
      await (await opening).disconnect();
    };
    const timer = setTimeout(() => {
      void release().catch((error: unknown) => {
        this.logger.warn({ err: error, document }, 'collab: releasing a warmed document failed');
      });
    }, holdMs);
    this.holds.set(document, { timer, release });
    opening.catch((error: unknown) => {
      clearTimeout(timer);
      this.holds.delete(document);
      this.logger.warn({ err: error, document }, 'collab: warming a document failed');
    });
  }

  /** Lets one held document go now (a reader's copy merged away, rule B1). */
  async release(document: string): Promise<void> {
    const hold = this.holds.get(document);
    if (hold === undefined) return;
    clearTimeout(hold.timer);
    await hold.release();
  }

  /** Lets every held document go and warms no more (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const holds = [...this.holds.values()];
    for (const hold of holds) clearTimeout(hold.timer);
    await Promise.allSettled(holds.map((hold) => hold.release()));
  }
}
