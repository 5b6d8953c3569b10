import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Three tiers: unit (pure code, no services), server (routes and repositories against a real
// PostgreSQL, one database per test file), e2e (real processes started from the built CLI).
export default defineConfig({
  resolve: {
    alias: {
      '@tessera/shared': source('./shared/src/index.ts'),
      '@tessera/tiler/token': source('./tiler/src/access/tile-token.ts'),
      '@tessera/tiler': source('./tiler/src/index.ts'),
    },
  },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Names the optional system packages this machine lacks, once (test/support/prerequisites.ts).
    globalSetup: ['test/support/prerequisites.setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/src/**/*.test.ts',
            'tiler/src/**/*.test.ts',
            'server/src/**/*.unit.test.ts',
            'client/src/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts'],
          exclude: ['server/src/**/*.unit.test.ts'],
          globalSetup: ['test/support/prerequisites.setup.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/prerequisites.setup.ts', 'test/support/global-setup.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
