import { imageActionLog, imageActionLogWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import { AppError } from '../../errors/app-error.js';
import type { ImageLogsService } from './image-logs.service.js';

const PATH = '/annotations/log_image_actions/';

/** `annotations/log_image_actions/`: list, retrieve, and record one's own opening or closing of an image. */
export function imageLogsEndpoints(logs: ImageLogsService, listing: Listing): Endpoint[] {
  return [
    ...crudEndpoints({
      path: PATH,
      policy: 'image_log.see',
      tag: 'annotations',
      noun: 'image action',
      resource: logs,
      listing,
      output: imageActionLog,
    }),
    endpoint({
      method: 'post',
      path: PATH,
      policy: 'image.see',
      tag: 'annotations',
      summary: 'Records that you opened (1) or closed (2) an image',
      body: imageActionLogWrite,
      response: imageActionLog,
      status: 201,
      async handler({ viewer, body, query, ctx }) {
        const id = await logs.create(viewer, body, ctx.ip);
        const object = await logs.find(viewer, id);
        if (!object) throw AppError.notFound();
        return { status: 201, body: await listing.shape(logs.name, viewer, object, query) };
      },
    }),
  ];
}
