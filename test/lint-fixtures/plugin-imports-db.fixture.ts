// Linted as server/src/plugins/builtin/counter/counter.ts: a plugin reaching for the database, refused.
import type { Database } from '../../../db/database.js';

export type Db = Database;
