// Linted as server/src/db/: the database layer reaching up into a resource.
import { UsersRepo } from '../resources/users/users.repo.js';

export const repo = UsersRepo;
