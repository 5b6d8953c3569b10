// Linted as server/src/resources/teams/teams-extra.repo.ts: a repository using the database, allowed.
import type { Database } from '../../db/database.js';
import { UsersRepo } from '../users/users.repo.js';

export type Db = Database;
export const users = UsersRepo;
