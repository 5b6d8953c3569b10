import { z } from 'zod';
import { pixelRegionSchema } from '../job-region.js';

/** A job running an uploaded ONNX model. */
export const onnxModelSettings = z
  .object({
    /** The uploaded model (`processing/models/`), one of the image's team. */
    model: z.number().int().positive(),
    region: pixelRegionSchema.optional(),
    /** The annotation type of the proposals; by default the image's first type of the output's shape. */
    annotationType: z.number().int().positive().optional(),
    /** Feed the model pixels scaled down by this factor (a model trained at lower magnification). */
    downsample: z.number().int().min(1).max(64).default(1),
    /** Input pixels read beyond each tile's core on every side; objects wider than this may be cut. */
    overlap: z.number().int().min(0).max(1024).default(32),
    minScore: z.number().min(0).max(1).default(0.5),
    /** Non-maximum suppression across tiles: of two boxes overlapping more than this, the lower goes. */
    maxIou: z.number().min(0).max(1).default(0.5),
    threads: z.number().int().min(1).max(16).default(1),
  })
  .strict();

export type OnnxModelSettings = z.infer<typeof onnxModelSettings>;
