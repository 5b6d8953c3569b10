// Optional system packages some tests need (OpenSlide, ffmpeg, Chromium, Python's requests). Without one, its tests are
// skipped (`describe.skipIf(lacking('openslide'))`) and prerequisites.setup.ts prints which and why,
// once per run; with CI=true a missing package fails the run instead of skipping.
// TESSERA_OPENSLIDE_LIBRARY and TESSERA_FFMPEG_PATH, as for the product, point the checks elsewhere:
// at nothing, they show what a machine without the packages runs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  DEFAULT_OPENSLIDE_LIBRARY,
  openslideAvailable,
  useOpenSlideLibrary,
} from '../../tiler/src/sources/openslide.ffi.js';

/** A system package that some tests need. */
export type Prerequisite =
  'openslide' | 'ffmpeg' | 'chromium' | 'python3-requests' | 'nginx' | 'redis-server';

/** What each package enables in the tests and how to install it. */
export const PREREQUISITES: Record<Prerequisite, { tests: string; install: string }> = {
  openslide: {
    tests: 'tests that read scanner slides (tiler sources and routes, the image pipeline, first run)',
    install: 'apt-get install libopenslide0 (macOS: brew install openslide)',
  },
  ffmpeg: { tests: 'tests that encode or take apart videos', install: 'apt-get install ffmpeg' },
  chromium: { tests: 'the browser tests (test/browser)', install: 'apt-get install chromium' },
  'python3-requests': {
    tests: "the API-client test (test/api-client: an EXACT notebook's calls from Python)",
    install: 'apt-get install python3-requests',
  },
  nginx: {
    tests: 'the production layout tests (test/scaleout.e2e.test.ts)',
    install: 'apt-get install nginx',
  },
  'redis-server': {
    tests: 'the production layout tests (test/scaleout.e2e.test.ts)',
    install: 'apt-get install redis-server',
  },
};

const present = new Map<Prerequisite, boolean>();

function check(name: Prerequisite): boolean {
  switch (name) {
    case 'openslide':
      useOpenSlideLibrary(process.env.TESSERA_OPENSLIDE_LIBRARY ?? DEFAULT_OPENSLIDE_LIBRARY);
      return openslideAvailable();
    case 'ffmpeg':
      try {
        execFileSync(process.env.TESSERA_FFMPEG_PATH ?? 'ffmpeg', ['-version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    case 'chromium':
      return existsSync(process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium');
    case 'nginx':
    case 'redis-server':
      try {
        execFileSync(name, ['-v'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    case 'python3-requests':
      try {
        execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
  }
}

/** The packages among `names` that this machine lacks. */
export function missing(...names: Prerequisite[]): Prerequisite[] {
  return names.filter((name) => {
    if (!present.has(name)) present.set(name, check(name));
    return present.get(name) === false;
  });
}

/**
 * True when tests needing `names` must be skipped. Under CI nothing is skipped: the run has already
 * failed in prerequisites.setup.ts, and a test that runs anyway fails with the package's own error.
 */
export function lacking(...names: Prerequisite[]): boolean {
  return process.env.CI !== 'true' && missing(...names).length > 0;
}
