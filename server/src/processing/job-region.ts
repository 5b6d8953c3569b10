import { z } from 'zod';
import type { PixelRegion, PluginJobContext } from './plugin-api.js';

/** A rectangle of level-0 pixels in a job's settings. */
export const pixelRegionSchema = z
  .object({
    x: z.number().int().min(0),
    y: z.number().int().min(0),
    width: z.number().int().min(1),
    height: z.number().int().min(1),
  })
  .strict();

/** The region to search: the settings' (checked against the image) or the whole image. */
export function searchRegion(image: PluginJobContext['image'], region: PixelRegion | undefined): PixelRegion {
  if (!region) return { x: 0, y: 0, width: image.width, height: image.height };
  if (region.x + region.width > image.width || region.y + region.height > image.height) {
    throw new Error(`the region lies outside the image (${image.width} x ${image.height} px)`);
  }
  return region;
}
