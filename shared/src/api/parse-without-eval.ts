import { z } from 'zod';

/**
 * Makes zod parse without compiling its object parsers through `new Function`. The browser app runs
 * under a Content-Security-Policy without 'unsafe-eval', where zod's probe for eval is refused and
 * reported as a violation even though zod then falls back. The server keeps the faster compiled path.
 * Its own entry point (`@tessera/shared/parse-without-eval`): it must run before any schema is built.
 */
export function parseWithoutEval(): void {
  z.config({ jitless: true });
}
