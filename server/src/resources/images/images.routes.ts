import { z } from 'zod';
import { frameDescription, image, imageUpdate, slideInformation } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import { endpoint, type Endpoint, type RawQuery } from '../../api/endpoint.js';
import { idParams, pathId, pathName } from '../../api/path-params.js';
import type { Listing } from '../../api/listing.js';
import { AppError } from '../../errors/app-error.js';
import type { FrameDescriptionsService } from './frame-descriptions.service.js';
import type { ImagesService } from './images.service.js';
import { readMultipart } from '../../ingest/multipart.js';
import type { ImageStorage } from '../../ingest/storage.js';
import type { TilerClient } from '../../ingest/tiler.client.js';
import type { UploadService } from '../../ingest/upload.service.js';

const PATCH_LIMIT = 2048;

/** The `frame` query parameter (1-based, default 1) of the pixel extras. */
function frameOf(query: RawQuery): number {
  const value = query.frame;
  if (value === undefined) return 1;
  if (typeof value !== 'string' || !/^\d{1,7}$/.test(value) || Number(value) < 1) {
    throw AppError.invalidField('frame', 'Enter a frame number from 1.');
  }
  return Number(value);
}

/** `images/images/`: list, retrieve, delete, multipart upload, and the pixel extras EXACT offers. */
export function imagesEndpoints(
  images: ImagesService,
  listing: Listing,
  deps: {
    storage: ImageStorage;
    tiler: TilerClient;
    maxUploadBytes: number;
    frameDescriptions: FrameDescriptionsService;
    uploads: UploadService;
  },
): Endpoint[] {
  return [
    ...crudEndpoints({
      path: '/images/frame_descriptions/',
      policy: 'frame_description.see',
      tag: 'images',
      noun: 'frame description',
      resource: deps.frameDescriptions,
      listing,
      output: frameDescription,
    }),
    ...crudEndpoints({
      path: '/images/images/',
      policy: 'image.see',
      tag: 'images',
      noun: 'image',
      resource: images,
      listing,
      output: image,
      update: {
        policy: 'image.administer',
        ...imageUpdate,
        run: (viewer, id, body) => images.update(viewer, id, body),
      },
      remove: { policy: 'image.administer', run: (viewer, id) => images.remove(viewer, id) },
    }),
    endpoint({
      method: 'post',
      path: '/images/images/',
      policy: 'image_set.administer',
      tag: 'images',
      summary: 'Uploads images (multipart: image_set, image_type, files under any field name)',
      description:
        'Answers the created images as a list; identical files already in the set are skipped and listed ' +
        'under `skipped`. Images start in state `processing` and become `ready` or `failed` (with a reason).',
      response: image,
      status: 201,
      async handler({ viewer, ctx }) {
        const upload = await readMultipart(ctx.req, deps.storage, deps.maxUploadBytes);
        const result = await deps.uploads.upload(viewer, upload);
        const created = await images.load(viewer, result.created);
        return {
          status: 201,
          body: {
            count: created.length,
            next: null,
            previous: null,
            results: created,
            skipped: result.skipped,
          },
        };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/images/:id/thumbnail/',
      policy: 'image.see',
      params: idParams,
      tag: 'images',
      summary: 'A JPEG thumbnail (longest side `size`, default 256)',
      async handler({ viewer, params, query, ctx }) {
        const { src } = await images.pixelSource(viewer, params.id, { frame: frameOf(query) });
        const size = typeof query.size === 'string' ? `?size=${encodeURIComponent(query.size)}` : '';
        await deps.tiler.relay(
          ctx,
          deps.tiler.token({ img: params.id, src, scope: ['tiles'] }),
          `thumbnail.jpeg${size}`,
        );
        return { streamed: true };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/images/:id/slide_information/',
      policy: 'image.see',
      params: idParams,
      tag: 'images',
      summary: "The pyramid's levels as EXACT reports them",
      response: slideInformation,
      async handler({ viewer, params, ctx }) {
        const { src } = await images.pixelSource(viewer, params.id);
        await deps.tiler.relay(ctx, deps.tiler.token({ img: params.id, src, scope: ['tiles'] }), 'info');
        return { streamed: true };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/images/:id/associated/:name/',
      policy: 'image.administer',
      params: z.object({ id: pathId, name: pathName }),
      tag: 'images',
      summary: 'A label or macro image as JPEG (team admins only: labels often show patient data)',
      async handler({ viewer, params, ctx }) {
        const { row, src } = await images.pixelSource(viewer, params.id, { associated: true });
        const { name } = params;
        if (!row.associated_images.includes(name)) throw AppError.notFound();
        const token = deps.tiler.token({ img: row.id, src, scope: ['tiles', 'associated'] });
        await deps.tiler.relay(ctx, token, `associated/${encodeURIComponent(name)}.jpeg`);
        return { streamed: true };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/images/:id/get_patch/',
      policy: 'image.see',
      params: idParams,
      tag: 'images',
      summary: `A PNG region: x, y (level-0 pixels), level, width and height (each at most ${PATCH_LIMIT})`,
      async handler({ viewer, params, query, ctx }) {
        const values = ['x', 'y', 'level', 'width', 'height'].map((key) => {
          const value = query[key];
          if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) {
            throw AppError.invalidField(key, 'Enter a whole number that is not negative.');
          }
          return [key, value] as const;
        });
        const size = Object.fromEntries(values);
        for (const key of ['width', 'height'] as const) {
          const n = Number(size[key]);
          if (n < 1 || n > PATCH_LIMIT)
            throw AppError.invalidField(key, `Must be between 1 and ${PATCH_LIMIT}.`);
        }
        const { src } = await images.pixelSource(viewer, params.id, { frame: frameOf(query) });
        const search = new URLSearchParams(size).toString();
        await deps.tiler.relay(
          ctx,
          deps.tiler.token({ img: params.id, src, scope: ['tiles'] }),
          `region.png?${search}`,
        );
        return { streamed: true };
      },
    }),
  ];
}
