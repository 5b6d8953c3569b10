import { describe, expect, it } from 'vitest';
import { parseBackground, premultipliedArgbToRgb, WHITE } from './pixels.js';

// One pixel as OpenSlide writes it on little-endian machines: B, G, R, A.
const bgra = (b: number, g: number, r: number, a: number): number[] => [b, g, r, a];

describe('premultipliedArgbToRgb', () => {
  it('keeps opaque pixels and reorders BGRA to RGB', () => {
    const rgb = premultipliedArgbToRgb(
      Uint8Array.from([...bgra(10, 20, 30, 255), ...bgra(0, 128, 255, 255)]),
    );
    expect([...rgb]).toEqual([30, 20, 10, 255, 128, 0]);
  });

  it('turns fully transparent pixels into the background', () => {
    expect([...premultipliedArgbToRgb(Uint8Array.from(bgra(0, 0, 0, 0)))]).toEqual([255, 255, 255]);
    expect([...premultipliedArgbToRgb(Uint8Array.from(bgra(0, 0, 0, 0)), { r: 1, g: 2, b: 3 })]).toEqual([
      1, 2, 3,
    ]);
  });

  it('composites premultiplied half-transparent pixels onto white', () => {
    // 50 % red, premultiplied: R = 128, A = 128 -> 128 + 255 * 127/255 = 255; G and B = 0 + 127.
    expect([...premultipliedArgbToRgb(Uint8Array.from(bgra(0, 0, 128, 128)))]).toEqual([255, 127, 127]);
  });

  it('clamps corrupt pixels whose colour exceeds their alpha', () => {
    expect([...premultipliedArgbToRgb(Uint8Array.from(bgra(200, 200, 200, 100)))]).toEqual([255, 255, 255]);
  });
});

describe('parseBackground', () => {
  it('reads RRGGBB and falls back to white', () => {
    expect(parseBackground('FF8000')).toEqual({ r: 255, g: 128, b: 0 });
    expect(parseBackground(undefined)).toEqual(WHITE);
    expect(parseBackground('not-a-colour')).toEqual(WHITE);
  });
});
