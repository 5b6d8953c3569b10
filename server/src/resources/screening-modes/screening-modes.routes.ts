import { screeningMode, screeningModeUpdate, screeningModeWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { ScreeningModesService } from './screening-modes.service.js';

/** `images/screening_modes/`: each user's screening state of an image. */
export function screeningModesEndpoints(modes: ScreeningModesService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/images/screening_modes/',
    tag: 'images',
    noun: 'screening state',
    resource: modes,
    listing,
    output: screeningMode,
    create: { body: screeningModeWrite, run: (viewer, body) => modes.create(viewer, body) },
    update: { ...screeningModeUpdate, run: (viewer, id, body) => modes.update(viewer, id, body) },
    remove: (viewer, id) => modes.remove(viewer, id),
  });
}
