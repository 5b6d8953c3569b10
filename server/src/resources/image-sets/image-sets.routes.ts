import { imageSet, imageSetCreate, imageSetUpdate } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { ImageSetsService } from './image-sets.service.js';

/** `images/image_sets/`: team admins create and manage the sets their team annotates. */
export function imageSetsEndpoints(imageSets: ImageSetsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/images/image_sets/',
    tag: 'image sets',
    noun: 'image set',
    resource: imageSets,
    listing,
    output: imageSet,
    create: { body: imageSetCreate, run: (viewer, body) => imageSets.create(viewer, body) },
    update: { ...imageSetUpdate, run: (viewer, id, body) => imageSets.update(viewer, id, body) },
    remove: (viewer, id) => imageSets.remove(viewer, id),
  });
}
