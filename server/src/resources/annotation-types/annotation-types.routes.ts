import { annotationType, annotationTypeCreate, annotationTypeUpdate } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { AnnotationTypesService } from './annotation-types.service.js';

/** `annotations/annotation_types/`: the labels of a product, with geometry kind and defaults. */
export function annotationTypesEndpoints(types: AnnotationTypesService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/annotations/annotation_types/',
    policy: 'annotation_type.see',
    tag: 'annotation schemes',
    noun: 'annotation type',
    resource: types,
    listing,
    output: annotationType,
    create: {
      policy: 'product.administer',
      body: annotationTypeCreate,
      run: (viewer, body) => types.create(viewer, body),
    },
    update: {
      policy: 'annotation_type.administer',
      ...annotationTypeUpdate,
      run: (viewer, id, body) => types.update(viewer, id, body),
    },
    remove: { policy: 'annotation_type.administer', run: (viewer, id) => types.remove(viewer, id) },
  });
}
