// Global setup of every test project: names the optional packages this machine lacks and the tests
// skipped for it, once per run; under CI=true a missing package fails the run instead.
import { missing, PREREQUISITES, type Prerequisite } from './prerequisites.js';

export default function setup(): void {
  // Each project runs its global setup in this same process: print once.
  if (process.env.TESSERA_PREREQUISITES_REPORTED === '1') return;
  process.env.TESSERA_PREREQUISITES_REPORTED = '1';
  const lacking = missing(...(Object.keys(PREREQUISITES) as Prerequisite[]));
  if (lacking.length === 0) return;
  const lines = lacking.map(
    (name) => `  - ${name}: skipping ${PREREQUISITES[name].tests}; ${PREREQUISITES[name].install}`,
  );
  if (process.env.CI === 'true') {
    throw new Error(`Missing system packages (CI=true does not skip tests):\n${lines.join('\n')}`);
  }
  console.warn(`Skipped for missing system packages:\n${lines.join('\n')}`);
}
