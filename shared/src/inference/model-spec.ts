import { z } from 'zod';

/*
 * How a segmentation or detection model is fed and read, stored with each uploaded ONNX model and
 * used alike by the server's runner and the browser's: the input is one RGB tile as a float tensor
 * [1, 3, height, width] (NCHW), each value (pixel x scale - mean) / std per channel.
 */

const channelTriple = z.tuple([z.number(), z.number(), z.number()]);

/** Per-channel input normalisation. */
export const normalisationSchema = z
  .object({
    /** Applied first: 1/255 maps bytes to 0..1. */
    scale: z
      .number()
      .positive()
      .default(1 / 255),
    mean: channelTriple.default([0, 0, 0]),
    std: channelTriple
      .refine((s) => s.every((v) => v > 0), { error: 'std values must be positive' })
      .default([1, 1, 1]),
  })
  .strict();

/**
 * The output's meaning: `boxes`, rows of x1, y1, x2, y2, score[, class] in input pixels ([N, 5],
 * [N, 6], or with a leading batch dimension of 1); `segmentation`, per-pixel class scores
 * [1, classes, height, width] whose argmax of class 1 and up becomes outlined regions.
 */
export const decodingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('boxes') }).strict(),
  z
    .object({
      kind: z.literal('segmentation'),
      /** Regions smaller than this many input pixels are dropped. */
      minArea: z.number().int().min(1).default(16),
    })
    .strict(),
]);

/** What a model needs besides its bytes. */
export const modelSpecSchema = z
  .object({
    inputWidth: z.number().int().min(8).max(4096),
    inputHeight: z.number().int().min(8).max(4096),
    normalisation: normalisationSchema.default({ scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] }),
    decoding: decodingSchema,
  })
  .strict();

export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type Normalisation = z.infer<typeof normalisationSchema>;
