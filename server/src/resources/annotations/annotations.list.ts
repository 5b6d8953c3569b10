import { restAnnotation } from '@tessera/shared';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import { parseFlexRequest } from '../../api/flex-fields.js';
import type { Listing, ReadableResource } from '../../api/listing.js';
import type { AnnotationsService } from './annotations.service.js';

/**
 * `GET annotations/annotations/`: EXACT clients page through whole images with it (100,000
 * annotations at 1,000 a page), so a page without `expand`, `fields` or `omit` is sent as the JSON
 * text PostgreSQL builds (annotation-json.ts), with no object per row and no `JSON.stringify`.
 * Everything else about the page (limit checks, filters, count, `next` with its signed cursor) is the
 * shared `Listing`'s: it is given a view of the page that holds only its last id, which is all the
 * links need. With `expand`, `fields` or `omit` the list takes the shared path as every resource does.
 */
export function annotationListEndpoint(annotations: AnnotationsService, listing: Listing): Endpoint {
  return endpoint({
    method: 'get',
    path: '/annotations/annotations/',
    policy: 'annotation.see',
    tag: 'annotations',
    summary: 'Lists the annotations you may see',
    list: { filters: annotations.filters },
    flex: true,
    response: restAnnotation,
    async handler({ viewer, query, url, ctx }) {
      const flex = parseFlexRequest(query);
      if (flex.expand.size > 0 || flex.fields !== undefined || flex.omit !== undefined) {
        return { body: await listing.list(annotations, viewer, query, url) };
      }
      let results = '[]';
      const lastIdOnly: ReadableResource = {
        name: annotations.name,
        filters: annotations.filters,
        find: (v, id) => annotations.find(v, id),
        async list(v, filters, page) {
          const { count, lastId, json } = await annotations.listJson(v, filters, page);
          results = json;
          return { count, rows: lastId === undefined ? [] : [{ id: lastId }] };
        },
      };
      const page = await listing.list(lastIdOnly, viewer, query, url);
      ctx.status = 200;
      // Encoded here, once: as a string, Koa would measure its UTF-8 length and the socket encode it.
      ctx.body = Buffer.from(
        `{"count":${page.count},"next":${JSON.stringify(page.next)}` +
          `,"previous":${JSON.stringify(page.previous)},"results":${results}}`,
      );
      ctx.type = 'application/json';
      return { streamed: true };
    },
  });
}
