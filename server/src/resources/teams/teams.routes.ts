import { team, teamWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { TeamsService } from './teams.service.js';

/** `users/teams/`: creating a team makes the creator its admin. */
export function teamsEndpoints(teams: TeamsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/users/teams/',
    policy: 'team.see',
    tag: 'teams',
    noun: 'team',
    resource: teams,
    listing,
    output: team,
    create: { policy: 'signed-in', body: teamWrite, run: (viewer, body) => teams.create(viewer, body) },
    update: {
      policy: 'team.administer',
      put: teamWrite,
      patch: teamWrite.partial(),
      run: (viewer, id, body) => teams.update(viewer, id, body),
    },
    remove: { policy: 'team.administer', run: (viewer, id) => teams.remove(viewer, id) },
  });
}
