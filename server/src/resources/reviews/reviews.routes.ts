import { page, reviewDisagreement, reviewItem, reviewSummary } from '@tessera/shared';
import { endpoint, type Endpoint, type RawQuery } from '../../api/endpoint.js';
import { pageLinks, parsePageRequest } from '../../api/pagination.js';
import { idParams } from '../../api/path-params.js';
import { parseFilters, type FilterSpec } from '../../db/filters.js';
import type { ReviewsService } from './reviews.service.js';

const TAG = 'review';

/**
 * The query parameters of the review lists, read like filters (a misspelt one is a 400). Not declared
 * as the endpoints' `list` filters: those are the filters of a resource's own rows.
 */
const queueParameters: FilterSpec = {
  image: { type: 'int', lookups: ['exact'], description: 'Only this image of the set.' },
  after: {
    type: 'text',
    lookups: ['exact'],
    description:
      'Only what comes after the annotation with this unique_identifier in review order (the next in the queue).',
  },
};
const disagreementParameters: FilterSpec = { image: queueParameters['image'] as FilterSpec[string] };

/** The values of the review lists' parameters, by name. */
function options(spec: FilterSpec, query: RawQuery): { image?: number; after?: string } {
  const read: { image?: number; after?: string } = {};
  for (const f of parseFilters(spec, query)) {
    if (f.name === 'image' && typeof f.value === 'number') read.image = f.value;
    if (f.name === 'after' && typeof f.value === 'string') read.after = f.value;
  }
  return read;
}

/**
 * Second opinion over an image set: `review_queue/` (what still needs the caller's verdict),
 * `review_disagreements/` (where reviewers disagree) and `review_summary/` (annotations per state).
 */
export function reviewsEndpoints(reviews: ReviewsService, maxPageSize: number): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/images/image_sets/:id/review_queue/',
      policy: 'image_set.verify',
      params: idParams,
      tag: TAG,
      summary: 'The annotations of a set that still need your verdict, in review order',
      description:
        "Not your own, not judged by you, fewer verdicts by others than the set's required_verifications. " +
        'Ordered by image, frame, image-level labels first, then bands of 1,024 pixels from the top, ' +
        'walked left to right and right to left in turn. Members only (readers of a public set: 403). ' +
        'image: only this image; after: only what comes after the annotation with this unique_identifier.',
      response: page(reviewItem),
      async handler({ viewer, params, query, url }) {
        const request = parsePageRequest(query, maxPageSize);
        const result = await reviews.queue(viewer, params.id, request, options(queueParameters, query));
        return {
          body: { count: result.count, ...pageLinks(url, request, result.count), results: result.rows },
        };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/image_sets/:id/review_disagreements/',
      policy: 'image_set.see',
      params: idParams,
      tag: TAG,
      summary: 'The annotations of a set on which reviewers disagree, with every verdict',
      description: 'image: only this image of the set. Paginated with limit and offset.',
      response: page(reviewDisagreement),
      async handler({ viewer, params, query, url }) {
        const request = parsePageRequest(query, maxPageSize);
        const found = await reviews.disagreements(
          viewer,
          params.id,
          request,
          options(disagreementParameters, query),
        );
        return { body: { count: found.count, ...pageLinks(url, request, found.count), results: found.rows } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/image_sets/:id/review_summary/',
      policy: 'image_set.see',
      params: idParams,
      tag: TAG,
      summary: "How far a set's review is: annotations per state, and how many need you",
      response: reviewSummary,
      async handler({ viewer, params }) {
        return { body: await reviews.summary(viewer, params.id) };
      },
    }),
  ];
}
