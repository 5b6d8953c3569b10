import { user, userCreate, userUpdate } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { UsersService } from './users.service.js';

/** `users/users/`: superusers create and delete (anonymise); users edit themselves. */
export function usersEndpoints(users: UsersService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/users/users/',
    policy: 'user.see',
    tag: 'users',
    noun: 'user',
    resource: users,
    listing,
    output: user,
    create: { policy: 'superuser', body: userCreate, run: (viewer, body) => users.create(viewer, body) },
    update: {
      policy: 'user.own',
      put: userUpdate,
      patch: userUpdate,
      run: (viewer, id, body) => users.update(viewer, id, body),
    },
    remove: { policy: 'superuser', run: (viewer, id) => users.remove(viewer, id) },
  });
}
