import { z } from 'zod';
import { modelSpecSchema } from '../inference/model-spec.js';

/** An uploaded ONNX model (`processing/models/`) as the API shows it. */
export const processingModel = z.object({
  id: z.number().int(),
  team: z.number().int(),
  name: z.string(),
  description: z.string(),
  spec: modelSpecSchema,
  /** Bytes of the ONNX file. */
  size: z.number().int(),
  sha256: z.string(),
  creator: z.number().int().nullable(),
  created: z.string(),
});
export type ProcessingModel = z.infer<typeof processingModel>;

/** The form fields of a model upload (multipart, with the ONNX file under `file`). */
export const processingModelUpload = z
  .object({
    team: z.coerce.number().int().positive(),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
    /** JSON text of the model's spec. */
    spec: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'spec must be JSON text' });
          return z.NEVER;
        }
      })
      .pipe(modelSpecSchema),
  })
  .strict();
export type ProcessingModelUpload = z.infer<typeof processingModelUpload>;
