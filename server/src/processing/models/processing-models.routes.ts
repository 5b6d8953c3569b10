import { createReadStream } from 'node:fs';
import { processingModel } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import { idParams } from '../../api/path-params.js';
import { readMultipart } from '../../ingest/multipart.js';
import type { ImageStorage } from '../../ingest/storage.js';
import type { ProcessingModelsService } from './processing-models.service.js';

const PATH = '/processing/models/';

/**
 * `processing/models/`: a team's ONNX models. List, retrieve and the file (`<id>/file/`, which the
 * browser runs) for the team; upload (multipart) and delete for its admins.
 */
export function processingModelsEndpoints(
  models: ProcessingModelsService,
  listing: Listing,
  uploads: { storage: ImageStorage; maxUploadBytes: number },
): Endpoint[] {
  return [
    ...crudEndpoints({
      path: PATH,
      policy: 'model.see',
      tag: 'processing',
      noun: 'model',
      resource: models,
      listing,
      output: processingModel,
      remove: { policy: 'model.administer', run: (viewer, id) => models.remove(viewer, id) },
    }),
    endpoint({
      method: 'post',
      path: PATH,
      policy: 'team.administer',
      tag: 'processing',
      summary: 'Uploads an ONNX model (multipart: team, name, description, spec as JSON text, file)',
      description:
        'The spec (input size, normalisation, decoding: boxes or per-pixel classes) says how the model ' +
        'is fed and read; the file must load in onnxruntime. Team admins upload for their team.',
      response: processingModel,
      status: 201,
      async handler({ viewer, ctx, query }) {
        const upload = await readMultipart(ctx.req, uploads.storage, uploads.maxUploadBytes);
        const id = await models.upload(viewer, upload);
        return { status: 201, body: await listing.retrieve(models, viewer, id, query) };
      },
    }),
    endpoint({
      method: 'get',
      path: `${PATH}:id/file/`,
      policy: 'model.see',
      params: idParams,
      tag: 'processing',
      summary: "A model's ONNX file",
      async handler({ viewer, params, ctx }) {
        const file = await models.filePath(viewer, params.id);
        ctx.set('Cache-Control', 'private, no-store');
        ctx.type = 'application/octet-stream';
        ctx.body = createReadStream(file);
        return { streamed: true };
      },
    }),
  ];
}
