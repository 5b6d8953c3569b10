// Linted as server/src/resources/teams/teams-extra.repo.ts: a repository calling up into a service.
import { TeamsService } from './teams.service.js';

export const service = TeamsService;
