import { team, teamWrite } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { TeamsService } from './teams.service.js';

/** `users/teams/`: creating a team makes the creator its admin. */
export function teamsEndpoints(teams: TeamsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/users/teams/',
    tag: 'teams',
    noun: 'team',
    resource: teams,
    listing,
    output: team,
    create: { body: teamWrite, run: (viewer, body) => teams.create(viewer, body) },
    update: {
      put: teamWrite,
      patch: teamWrite.partial(),
      run: (viewer, id, body) => teams.update(viewer, id, body),
    },
    remove: (viewer, id) => teams.remove(viewer, id),
  });
}
