import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../logging/logger.js';
import type { CommitGate } from './commit-gate.js';

/** The largest WebSocket message accepted (an update is refused above 8 MB anyway). */
const MAX_PAYLOAD = 16 * 1024 * 1024;

/**
 * Hands WebSocket upgrades on `path` to Hocuspocus (through `ws`). The server has no other WebSocket
 * endpoint, so an upgrade anywhere else is answered 404 rather than left hanging. Hocuspocus writes to
 * each socket through the commit gate (rule P1). Returns the `upgrade` listener and the socket server.
 */
export function collabUpgrades(hocuspocus: Hocuspocus, gate: CommitGate, path: string, logger: Logger) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      serve(hocuspocus, gate, ws, request, logger);
    });
  };
  return { wss, onUpgrade };
}

function serve(
  hocuspocus: Hocuspocus,
  gate: CommitGate,
  ws: WebSocket,
  request: http.IncomingMessage,
  logger: Logger,
): void {
  const connection = hocuspocus.handleConnection(gate.wrap(ws), toFetchRequest(request));
  ws.on('message', (data: RawData) => {
    connection.handleMessage(toBytes(data));
  });
  ws.on('close', (code: number, reason: Buffer) => {
    connection.handleClose({ code, reason: reason.toString() });
  });
  ws.on('error', (error) => {
    logger.warn({ err: error }, 'collab: websocket error');
  });
}

/** Hocuspocus's hooks read the upgrade request as a Fetch Request (headers, URL parameters). */
function toFetchRequest(request: http.IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return new Request(requestUrl(request), { headers });
}

function requestUrl(request: http.IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`).toString();
  } catch {
    return 'http://localhost/';
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
