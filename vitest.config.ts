import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Three tiers, told apart by the file name's suffix alone (a test is placed by what it needs):
// - `*.unit.test.ts` (shared, tiler, server, client): no PostgreSQL and no process of ours started
//   apart. A tiler test that starts its HTTP server in-process or reads the real slides of
//   `test/fixtures/slides` is still unit tier.
// - `*.db.test.ts` (server only): needs PostgreSQL (repositories, or a real server on a free port);
//   each test file gets its own database cloned from a migrated template.
// - `*.e2e.test.ts` (test/ only): real processes started from the built CLI; `test/browser/` holds
//   the ones driven through Chromium.
export default defineConfig({
  resolve: {
    alias: {
      '@tessera/shared/type-colors': source('./shared/src/api/type-colors.ts'),
      '@tessera/shared': source('./shared/src/index.ts'),
      '@tessera/demo-data': source('./demo-data/src/index.ts'),
      '@tessera/tiler/token': source('./tiler/src/access/tile-token.ts'),
      '@tessera/tiler': source('./tiler/src/index.ts'),
    },
  },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests wait with expect.poll / vi.waitFor, never a fixed sleep; 1 s (vitest's default) is too
    // short for a round trip through PostgreSQL on a loaded machine.
    expect: { poll: { timeout: 5_000 } },
    // Names the optional system packages this machine lacks, once (test/support/prerequisites.ts).
    globalSetup: ['test/support/prerequisites.setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            '{shared,tiler,server,client,demo-data}/src/**/*.unit.test.ts',
            'test/lint-fixtures/**/*.unit.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['server/src/**/*.db.test.ts'],
          globalSetup: ['test/support/prerequisites.setup.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          globalSetup: ['test/support/prerequisites.setup.ts', 'test/support/global-setup.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
