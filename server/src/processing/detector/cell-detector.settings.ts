import { z } from 'zod';
import { pixelRegionSchema } from '../job-region.js';

/** The cell detector's settings; every field has a default that suits a Giemsa or H&E slide at 0.25 µm/px. */
export const cellDetectorSettings = z
  .object({
    /** `cells`: coloured pixels (whole stained cells); `nuclei`: haematoxylin by colour deconvolution. */
    mode: z.enum(['cells', 'nuclei']).default('cells'),
    /** Level-0 pixels to search; the whole image when absent. */
    region: pixelRegionSchema.optional(),
    /** The annotation type of the proposals; by default the first of the image's types that fits `output`. */
    annotationType: z.number().int().positive().optional(),
    output: z.enum(['box', 'polygon']).default('box'),
    /** Work on pixels scaled down by this factor (faster, coarser). */
    downsample: z.number().int().min(1).max(16).default(1),
    tileSize: z.number().int().min(128).max(8192).default(1024),
    /** Must exceed the largest object's diameter, so that one tile sees each object whole. */
    overlap: z.number().int().min(0).max(2048).default(160),
    /** Optical density above which a pixel is stained; by default Otsu's threshold on an overview. */
    threshold: z.number().positive().max(10).optional(),
    /**
     * Otsu's threshold is never taken below this (a slide of background alone has noise to split);
     * by default 0.04 for cells (colour density) and 0.15 for nuclei (haematoxylin).
     */
    minThreshold: z.number().min(0).max(10).optional(),
    /** Smallest and largest object in level-0 pixels². */
    minArea: z.number().min(1).default(120),
    maxArea: z.number().min(1).default(60_000),
    /** Radius (pixels at the working scale) of the opening that removes specks and thin bridges. */
    openingRadius: z.number().int().min(0).max(10).default(1),
    /** Detector threads. */
    workers: z.number().int().min(1).max(16).default(1),
  })
  .strict()
  .refine((s) => s.minArea <= s.maxArea, { error: 'minArea must not exceed maxArea', path: ['minArea'] });

export type CellDetectorSettings = z.infer<typeof cellDetectorSettings>;
