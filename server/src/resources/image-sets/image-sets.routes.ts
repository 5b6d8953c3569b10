import { imageSet, imageSetCreate, imageSetUpdate } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { ImageSetsService } from './image-sets.service.js';

/** `images/image_sets/`: team admins create and manage the sets their team annotates. */
export function imageSetsEndpoints(imageSets: ImageSetsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/images/image_sets/',
    policy: 'image_set.see',
    tag: 'image sets',
    noun: 'image set',
    resource: imageSets,
    listing,
    output: imageSet,
    create: {
      policy: 'team.administer',
      body: imageSetCreate,
      run: (viewer, body) => imageSets.create(viewer, body),
    },
    update: {
      policy: 'image_set.administer',
      ...imageSetUpdate,
      run: (viewer, id, body) => imageSets.update(viewer, id, body),
    },
    remove: { policy: 'image_set.administer', run: (viewer, id) => imageSets.remove(viewer, id) },
  });
}
