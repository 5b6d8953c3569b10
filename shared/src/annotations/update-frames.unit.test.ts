import { describe, expect, it } from 'vitest';
import { decodeUpdateFrames, encodeUpdateFrames, frameHeader } from './update-frames.js';

describe('update frames', () => {
  it('round-trips updates of any size, empty ones included, in order', () => {
    const updates = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(70_000).fill(7)];
    const body = encodeUpdateFrames(updates);
    expect(body.byteLength).toBe(3 + 0 + 70_000 + 3 * 4);
    expect(decodeUpdateFrames(body)).toEqual(updates);
    expect(decodeUpdateFrames(new Uint8Array(0))).toEqual([]);
  });

  it('reads frames from a view into a larger buffer', () => {
    const body = encodeUpdateFrames([new Uint8Array([9, 8])]);
    const padded = new Uint8Array(body.byteLength + 10);
    padded.set(body, 5);
    expect(decodeUpdateFrames(padded.subarray(5, 5 + body.byteLength))).toEqual([new Uint8Array([9, 8])]);
  });

  it('refuses truncated bodies and lengths that cannot be framed', () => {
    const body = encodeUpdateFrames([new Uint8Array([1, 2, 3, 4])]);
    expect(() => decodeUpdateFrames(body.subarray(0, 6))).toThrow(/update is cut off/);
    expect(() => decodeUpdateFrames(body.subarray(0, 2))).toThrow(/header is cut off/);
    expect(() => frameHeader(-1)).toThrow(/cannot be framed/);
    expect(Array.from(frameHeader(258))).toEqual([0, 0, 1, 2]);
  });
});
