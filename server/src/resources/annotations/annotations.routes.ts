import { z } from 'zod';
import { restAnnotation, restAnnotationChange, restAnnotationWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import { endpoint, validateBody, type Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import { parseFilters } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { annotationListEndpoint } from './annotations.list.js';
import type { AnnotationsService } from './annotations.service.js';

const MAX_BULK = 10_000;

/**
 * `annotations/annotations/`: EXACT's list (with its filters and a viewport), retrieve, count, create
 * one or a list (upsert by unique_identifier), update, delete and multiple_delete.
 */
export function annotationsEndpoints(annotations: AnnotationsService, listing: Listing): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/annotations/annotations/count/',
      policy: 'annotation.see',
      tag: 'annotations',
      summary: 'How many annotations match the filters',
      list: { filters: annotations.filters, paginated: false },
      response: z.object({ count: z.number().int() }),
      async handler({ viewer, query }) {
        const { count } = await annotations.list(viewer, parseFilters(annotations.filters, query), {
          limit: 1,
          offset: 0,
        });
        return { body: { count } };
      },
    }),
    endpoint({
      method: 'delete',
      path: '/annotations/annotations/multiple_delete/',
      policy: 'annotation.annotate',
      tag: 'annotations',
      summary: 'Deletes the annotations named by ?id__in=1,2,3',
      async handler({ viewer, query }) {
        const filters = parseFilters(
          { id: annotations.filters.id ?? { type: 'int', lookups: ['in'] } },
          query,
        );
        const ids = filters.find((f) => f.lookup === 'in')?.value;
        if (!Array.isArray(ids) || ids.length === 0)
          throw AppError.invalidField('id__in', 'Name the annotations.');
        for (const id of ids) await annotations.remove(viewer, Number(id));
        return {};
      },
    }),
    endpoint({
      method: 'post',
      path: '/annotations/annotations/',
      policy: 'image.annotate',
      tag: 'annotations',
      summary: 'Creates an annotation or a list of them; a known unique_identifier updates it (200)',
      response: restAnnotation,
      status: 201,
      async handler({ viewer, ctx, query }) {
        const raw = (ctx.request as { body?: unknown }).body;
        if (!ctx.is('json')) throw new AppError('unsupported_media_type', 'Send JSON.');
        const many = Array.isArray(raw);
        const items = many
          ? validateBody(restAnnotationWrite.array().max(MAX_BULK), raw)
          : [validateBody(restAnnotationWrite, raw)];
        const results = await annotations.saveMany(viewer, items);
        const objects = new Map(
          (
            await annotations.load(
              viewer,
              results.map((r) => r.id),
            )
          ).map((o) => [o.id, o]),
        );
        const saved = [];
        for (const result of results) {
          const object = objects.get(result.id);
          if (object) saved.push(await listing.shape(annotations.name, viewer, object, query));
        }
        const anyCreated = results.some((r) => r.created);
        return { status: anyCreated ? 201 : 200, body: many ? saved : saved[0] };
      },
    }),
    annotationListEndpoint(annotations, listing),
    // The list is annotationListEndpoint's (sent as built JSON text); the rest is the shared CRUD.
    ...crudEndpoints({
      path: '/annotations/annotations/',
      policy: 'annotation.see',
      tag: 'annotations',
      noun: 'annotation',
      resource: annotations,
      listing,
      output: restAnnotation,
      update: {
        policy: 'annotation.annotate',
        put: restAnnotationChange,
        patch: restAnnotationChange,
        run: (viewer, id, body) => annotations.change(viewer, id, body),
      },
      remove: { policy: 'annotation.annotate', run: (viewer, id) => annotations.remove(viewer, id) },
    }).filter((e) => !(e.method === 'get' && e.path === '/annotations/annotations/')),
  ];
}
