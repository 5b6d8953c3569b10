// Imported first by main.tsx, so it runs before any schema is built (zod probes for eval when it builds
// an object schema): the page's Content-Security-Policy forbids eval, and the probe would be reported
// as a violation. From its own entry point, since loading @tessera/shared builds its schemas.
import { parseWithoutEval } from '@tessera/shared/parse-without-eval';

parseWithoutEval();
