import { imageContributors } from '@tessera/shared';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import { idParams } from '../../api/path-params.js';
import type { ImageContributorsService } from './image-contributors.service.js';

/** `images/image_sets/<id>/contributors/`: who worked on each image of the set. */
export function imageContributorsEndpoints(contributors: ImageContributorsService): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/images/image_sets/:id/contributors/',
      policy: 'image_set.see',
      params: idParams,
      tag: 'images',
      summary: "Who worked on each image: annotations made, and others' annotations edited last",
      response: imageContributors,
      async handler({ viewer, params }) {
        return { body: await contributors.ofImageSet(viewer, params.id) };
      },
    }),
  ];
}
