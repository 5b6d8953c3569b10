/*
 * A document's stored updates as one binary body (the HTTP snapshot a browser loads before it opens
 * the live connection): each Yjs V1 update prefixed with its byte length as a 4-byte big-endian
 * unsigned integer, in the order they must be applied. Pure; used by the server and the client.
 */

/** The media type of a framed body of Yjs updates. */
export const UPDATE_FRAMES_TYPE = 'application/vnd.tessera.yjs-updates';

const HEADER_BYTES = 4;

/** The frame header of one update: its length, big-endian. */
export function frameHeader(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new RangeError(`an update of ${length} bytes cannot be framed`);
  }
  const header = new Uint8Array(HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, length);
  return header;
}

/** Frames updates into one body. */
export function encodeUpdateFrames(updates: readonly Uint8Array[]): Uint8Array {
  const total = updates.reduce((sum, update) => sum + HEADER_BYTES + update.byteLength, 0);
  const body = new Uint8Array(total);
  let at = 0;
  for (const update of updates) {
    body.set(frameHeader(update.byteLength), at);
    body.set(update, at + HEADER_BYTES);
    at += HEADER_BYTES + update.byteLength;
  }
  return body;
}

/** The updates of a framed body (views into it, no copies); throws on a truncated or padded body. */
export function decodeUpdateFrames(body: Uint8Array): Uint8Array[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const updates: Uint8Array[] = [];
  let at = 0;
  while (at < body.byteLength) {
    if (at + HEADER_BYTES > body.byteLength) throw new Error('truncated update frames: a header is cut off');
    const length = view.getUint32(at);
    const start = at + HEADER_BYTES;
    if (start + length > body.byteLength) throw new Error('truncated update frames: an update is cut off');
    updates.push(body.subarray(start, start + length));
    at = start + length;
  }
  return updates;
}
