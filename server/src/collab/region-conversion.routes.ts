import { z } from 'zod';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import { idParams } from '../api/path-params.js';
import { AppError } from '../errors/app-error.js';
import type { Database } from '../db/database.js';
import type { LiveDocumentsPort } from './live-documents.js';
import { convertToRegions } from './region-conversion.js';

/** Unknown fields are refused, so a misspelt `size` is not silently the default. */
const conversionBody = z
  .object({
    size: z.number().int().min(256).max(1_000_000).optional(),
  })
  .strict();

const conversionReport = z.object({
  imageId: z.number().int(),
  size: z.number().int(),
  resumed: z.boolean(),
  documents: z.array(z.object({ document: z.string(), annotations: z.number(), copied: z.number() })),
});

/**
 * `images/images/<id>/regions/`: converts an image to regions (G6) in the running server, whose live
 * documents take the copies (what `tessera documents regions` calls); the size defaults to
 * DEFAULT_REGION_SIZE, or to what an earlier run that stopped half way chose. Superusers only: it changes how
 * every browser and writer reaches the image's annotations, for good.
 */
export function regionConversionEndpoints(deps: { db: Database; documents: LiveDocumentsPort }): Endpoint[] {
  return [
    endpoint({
      method: 'post',
      path: '/images/images/:id/regions/',
      policy: 'superuser',
      params: idParams,
      body: conversionBody,
      response: conversionReport,
      tag: 'annotations',
      summary: "Splits the image's annotation documents into regions (rule G6; one-way, superusers only)",
      async handler({ viewer, params, body }) {
        if (!viewer.isSuperuser) throw AppError.forbidden('Only superusers convert images to regions.');
        return { body: await convertToRegions(deps.db, deps.documents, params.id, body.size) };
      },
    }),
  ];
}
