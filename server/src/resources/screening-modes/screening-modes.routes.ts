import { screeningMode, screeningModeUpdate, screeningModeWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { ScreeningModesService } from './screening-modes.service.js';

/** `images/screening_modes/`: each user's screening state of an image. */
export function screeningModesEndpoints(modes: ScreeningModesService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/images/screening_modes/',
    policy: 'screening_mode.see',
    tag: 'images',
    noun: 'screening state',
    resource: modes,
    listing,
    output: screeningMode,
    create: {
      policy: 'image.see',
      body: screeningModeWrite,
      run: (viewer, body) => modes.create(viewer, body),
    },
    update: {
      policy: 'screening_mode.own',
      ...screeningModeUpdate,
      run: (viewer, id, body) => modes.update(viewer, id, body),
    },
    remove: { policy: 'screening_mode.own', run: (viewer, id) => modes.remove(viewer, id) },
  });
}
