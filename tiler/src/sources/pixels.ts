// OpenSlide hands out premultiplied ARGB as native-endian uint32, i.e. B,G,R,A bytes on little-endian
// machines. Everything downstream (sharp, JPEG) wants plain RGB, so alpha is composited away here, once.
import { endianness } from 'node:os';

/** An RGB colour, each channel 0-255. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** Opaque white: the background when a slide names none (as in openslide-python). */
export const WHITE: Rgb = { r: 255, g: 255, b: 255 };

// Byte offsets of each channel inside one native-endian ARGB uint32.
const [A, R, G, B] = endianness() === 'LE' ? [3, 2, 1, 0] : [0, 1, 2, 3];

/** Parses OpenSlide's `openslide.background-color` value ("RRGGBB"); anything else yields white. */
export function parseBackground(hex: string | undefined): Rgb {
  if (hex === undefined || !/^[0-9a-fA-F]{6}$/.test(hex)) return WHITE;
  const n = Number.parseInt(hex, 16);
  return { r: (n >> 16) & 0xff, g: (n >> 8) & 0xff, b: n & 0xff };
}

/** Converts premultiplied ARGB pixels to RGB composited onto `background` (3 bytes a pixel). */
export function premultipliedArgbToRgb(argb: Uint8Array, background: Rgb = WHITE): Buffer {
  const pixels = argb.length >>> 2;
  const rgb = Buffer.allocUnsafe(pixels * 3);
  for (let i = 0, o = 0, p = 0; i < pixels; i++, o += 3, p += 4) {
    const a = argb[p + A] ?? 0;
    if (a === 255) {
      rgb[o] = argb[p + R] ?? 0;
      rgb[o + 1] = argb[p + G] ?? 0;
      rgb[o + 2] = argb[p + B] ?? 0;
      continue;
    }
    // Premultiplied: colour already carries its alpha, so only the background needs weighting.
    // Clamp because corrupt data can hold colour > alpha.
    const t = (255 - a) / 255;
    rgb[o] = Math.min(255, (argb[p + R] ?? 0) + Math.round(background.r * t));
    rgb[o + 1] = Math.min(255, (argb[p + G] ?? 0) + Math.round(background.g * t));
    rgb[o + 2] = Math.min(255, (argb[p + B] ?? 0) + Math.round(background.b * t));
  }
  return rgb;
}
