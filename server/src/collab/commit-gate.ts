import type { WebSocketLike } from '@hocuspocus/server';
import type { WebSocket } from 'ws';
import type { UpdateLog } from './update-log.js';

type Outgoing = Parameters<WebSocketLike['send']>[0];

/** Anything that holds outgoing messages for the gate: a client's socket, the Redis publisher. */
export interface GateHolder {
  /** Sends the held messages whose appends have settled; answers whether none is left. */
  flush(settled: number): boolean;
  /** How many messages it holds. */
  readonly heldCount: number;
}

interface Held {
  readonly data: Outgoing;
  /** Sent once the log has settled every append up to this sequence number. */
  readonly after: number;
}

/**
 * Rule P1 on the way out: nothing leaves the server before every update accepted before it is
 * committed. Hocuspocus applies an update, broadcasts it and sends the sender's "saved" status right
 * after `beforeSync`; the persistence extension no longer waits there for the log write (that held each
 * connection's message queue for a whole round trip), so instead every socket holds its outgoing
 * messages until the update log has settled all appends made before them. A message sent while
 * nothing is being written goes out at once; order on a socket is kept.
 */
export class CommitGate {
  /** Sockets (and publishers) with held messages. */
  private readonly holding = new Set<GateHolder>();

  constructor(private readonly log: UpdateLog) {}

  /** Wraps a client's socket: Hocuspocus writes to the wrapper. */
  wrap(socket: WebSocket): GatedSocket {
    return new GatedSocket(socket, this);
  }

  /** The sequence number a message sent now must wait for, or 0 when every append has settled. */
  barrier(): number {
    const last = this.log.lastSeq;
    return last > this.log.settledSeq ? last : 0;
  }

  /** Remembers a socket that holds messages (it is flushed at the next `release`). */
  hold(socket: GateHolder): void {
    this.holding.add(socket);
  }

  /** Sends what the appends settled so far allow; call after each batch (and after failures are handled). */
  release(): void {
    const settled = this.log.settledSeq;
    for (const socket of this.holding) if (socket.flush(settled)) this.holding.delete(socket);
  }

  /** How many messages are held on all sockets (tests, measurements). */
  get heldCount(): number {
    let count = 0;
    for (const socket of this.holding) count += socket.heldCount;
    return count;
  }
}

/** A `ws` socket whose outgoing messages wait for the commit gate (see `CommitGate`). */
export class GatedSocket implements WebSocketLike, GateHolder {
  private held: Held[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly gate: CommitGate,
  ) {}

  get readyState(): number {
    return this.socket.readyState;
  }

  get heldCount(): number {
    return this.held.length;
  }

  send(data: Outgoing): void {
    const after = this.gate.barrier();
    if (after === 0 && this.held.length === 0) {
      this.socket.send(data);
      return;
    }
    this.held.push({ data, after });
    this.gate.hold(this);
  }

  /**
   * Closes the socket. Held messages are dropped: they wait for appends that are not committed, and
   * a client that reconnects syncs again (its provider sends what the server may lack).
   */
  close(code?: number, reason?: string): void {
    this.held = [];
    this.socket.close(code, reason);
  }

  /** Sends the held messages whose appends have settled; answers whether none is left. */
  flush(settled: number): boolean {
    let sent = 0;
    for (const message of this.held) {
      if (message.after > settled) break;
      this.socket.send(message.data);
      sent++;
    }
    if (sent > 0) this.held = this.held.slice(sent);
    return this.held.length === 0;
  }
}
