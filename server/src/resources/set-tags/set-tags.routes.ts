import { setTag, setTagWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { SetTagsService } from './set-tags.service.js';

/** `images/set_tags/`: one vocabulary of tags for image sets. */
export function setTagsEndpoints(setTags: SetTagsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/images/set_tags/',
    policy: 'set_tag.see',
    tag: 'image sets',
    noun: 'set tag',
    resource: setTags,
    listing,
    output: setTag,
    create: {
      policy: 'set_tag.administer',
      body: setTagWrite,
      run: (viewer, body) => setTags.create(viewer, body),
    },
    update: {
      policy: 'set_tag.administer',
      put: setTagWrite,
      patch: setTagWrite.partial(),
      run: (viewer, id, body) => setTags.update(viewer, id, body),
    },
    remove: { policy: 'superuser', run: (viewer, id) => setTags.remove(viewer, id) },
  });
}
