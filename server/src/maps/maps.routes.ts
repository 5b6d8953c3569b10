import {
  annotationMap,
  annotationMapCell,
  annotationMapCreate,
  annotationMapScreening,
  annotationMapScreeningWrite,
} from '@tessera/shared';
import { z } from 'zod';
import { crudEndpoints } from '../api/crud.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { Listing } from '../api/listing.js';
import { idParams } from '../api/path-params.js';
import type { MapScreeningService } from './map-screening.service.js';
import type { MapsService } from './maps.service.js';

const PATH = '/annotations/annotation_maps/';

/**
 * `annotations/annotation_maps/`: list, retrieve, create and delete maps; `<id>/cells/` the cells with
 * their annotations as they are now; `<id>/regenerate/` a new mosaic from the annotations of now;
 * `<id>/screening/` the caller's own guided screening of the map.
 */
export function mapsEndpoints(
  maps: MapsService,
  screening: MapScreeningService,
  listing: Listing,
): Endpoint[] {
  return [
    ...crudEndpoints({
      path: PATH,
      tag: 'annotations',
      noun: 'annotation map',
      resource: maps,
      listing,
      output: annotationMap,
      policy: 'annotation_map.see',
      // The set (or image) is named in the body: making a map is an action on the set (P8).
      create: {
        policy: 'image_set.map',
        body: annotationMapCreate,
        run: (viewer, body) => maps.create(viewer, body),
      },
      remove: { policy: 'annotation_map.own-or-administer', run: (viewer, id) => maps.remove(viewer, id) },
    }),
    endpoint({
      method: 'get',
      path: `${PATH}:id/cells/`,
      params: idParams,
      tag: 'annotations',
      policy: 'annotation_map.see',
      summary: 'The cells of a map with their annotations as they are now',
      response: z.array(annotationMapCell),
      async handler({ viewer, params }) {
        return { body: await maps.cells(viewer, params.id) };
      },
    }),
    endpoint({
      method: 'post',
      path: `${PATH}:id/regenerate/`,
      params: idParams,
      tag: 'annotations',
      policy: 'annotation_map.annotate',
      summary: 'Generates the map again from the annotations as they are now',
      response: annotationMap,
      status: 202,
      async handler({ viewer, params, query }) {
        await maps.regenerate(viewer, params.id);
        return { status: 202, body: await listing.retrieve(maps, viewer, params.id, query) };
      },
    }),
    // A map's screening is the caller's own row: whoever sees the map keeps one (M8).
    endpoint({
      method: 'get',
      path: `${PATH}:id/screening/`,
      params: idParams,
      tag: 'annotations',
      policy: 'annotation_map.see',
      summary: 'Your screening of the map (its plan and position); 204 before you started one',
      response: annotationMapScreening,
      async handler({ viewer, params }) {
        const mine = await screening.mine(viewer, params.id);
        return mine === null ? {} : { body: mine };
      },
    }),
    endpoint({
      method: 'put',
      path: `${PATH}:id/screening/`,
      params: idParams,
      tag: 'annotations',
      policy: 'annotation_map.see',
      summary: 'Stores your screening of the map (its plan and position), replacing any earlier one',
      body: annotationMapScreeningWrite,
      response: annotationMapScreening,
      async handler({ viewer, params, body }) {
        return { body: await screening.put(viewer, params.id, body) };
      },
    }),
  ];
}
