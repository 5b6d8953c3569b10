import { teamMembership, teamMembershipCreate, teamMembershipUpdate } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { MembershipsService } from './memberships.service.js';

/** `users/team_membership/`: team admins add, promote and remove; members may leave. */
export function membershipsEndpoints(memberships: MembershipsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/users/team_membership/',
    policy: 'membership.see',
    tag: 'teams',
    noun: 'team membership',
    resource: memberships,
    listing,
    output: teamMembership,
    create: {
      policy: 'team.administer',
      body: teamMembershipCreate,
      run: (viewer, body) => memberships.create(viewer, body),
    },
    update: {
      policy: 'membership.administer',
      put: teamMembershipUpdate,
      patch: teamMembershipUpdate.partial(),
      run: (viewer, id, body) => memberships.update(viewer, id, body),
    },
    remove: { policy: 'membership.own-or-administer', run: (viewer, id) => memberships.remove(viewer, id) },
  });
}
