// Test-only access to the repository's test slides and to openslide-python, the reference implementation.
// The reference must be present: a missing python3-openslide fails the tests rather than skipping them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Test-only slides; the real scans the demo also serves stay in the server's assets, not copied here.
const FIXTURE_SLIDES = fileURLToPath(new URL('../../../test/fixtures/slides/', import.meta.url));
const DEMO_SLIDES = fileURLToPath(new URL('../../../server/assets/slides/', import.meta.url));

const SCRIPT = fileURLToPath(new URL('../../test-fixtures/openslide_reference.py', import.meta.url));

/** Debian's python, where python3-openslide is installed (not whatever python3 is first on PATH). */
export const PYTHON = '/usr/bin/python3';

/** Absolute path of a test slide by file name (a test fixture, else one of the demo's scans). */
export function slidePath(name: string): string {
  return existsSync(FIXTURE_SLIDES + name) ? FIXTURE_SLIDES + name : DEMO_SLIDES + name;
}

/** Runs the openslide-python reference script and parses its JSON; throws with python's stderr on failure. */
export function reference(args: readonly string[]): unknown {
  try {
    const stdout = execFileSync(PYTHON, [SCRIPT, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      // Capture python's stderr for the error message instead of printing it into the test output.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(stdout);
  } catch (err) {
    const stderr = (err as { stderr?: unknown }).stderr;
    throw new Error(
      `openslide-python reference failed (${PYTHON} ${args.join(' ')}); install python3-openslide.\n${String(stderr ?? err)}`,
      { cause: err },
    );
  }
}

/** Mean absolute difference per channel value between two equally sized RGB buffers. */
export function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`buffers differ in length: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return a.length === 0 ? 0 : sum / a.length;
}
