// Layer rules for imports, enforced by no-restricted-imports. Import strings are matched, so a rule
// names the folder or file role an import may not reach. ESLint does not merge one rule's options
// across config blocks, so the server's blocks are generated per (folder group x file role), each
// carrying every restriction that applies to its files. test/lint-fixtures/ shows each rule firing.

/** Folders of server/src by layer. Composition, runtime and the CLI sit on top and may import all. */
const PLATFORM = ['config', 'db', 'errors', 'logging', 'api', 'http', 'metrics'];
const DOMAIN = [
  'auth',
  'access',
  'resources',
  'ingest',
  'collab',
  'versions',
  'interchange',
  'datasets',
  'maps',
  'processing',
];

const rule = (regex, message) => ({ regex, message });

/** Everything below the composition root: nothing reaches up to it, the process start or the CLI. */
const NOT_THE_TOP = rule(
  '(^|/)(composition|runtime|cli)/',
  'Only the composition root, runtime and cli assemble the process; lower layers receive what they need.',
);
/** Platform pieces serve every resource and subsystem, so they know none (api may name the Viewer type). */
const PLATFORM_RULES = [
  rule(
    '(^|/)(resources|ingest|collab|versions|interchange|datasets|maps|access)/',
    'Platform code (config, db, errors, logging, api, http, metrics) may not import resources or subsystems.',
  ),
  rule('(^|/)auth/(?!viewer\\.js$)', 'Platform code may only use the Viewer type from auth/.'),
];
const REPO_RULES = [
  rule(
    '\\.(service|routes)(\\.js)?$',
    'A repository may not import services or routes (routes -> services -> repos).',
  ),
];
const SERVICE_RULES = [
  rule('\\.routes(\\.js)?$', 'A service may not import routes (routes -> services -> repos).'),
];

const ROLES = [
  { files: '*.repo.ts', ignores: [], rules: REPO_RULES },
  { files: '*.service.ts', ignores: [], rules: SERVICE_RULES },
  { files: '*.ts', ignores: ['**/*.repo.ts', '**/*.service.ts'], rules: [] },
];
const GROUPS = [
  { dirs: PLATFORM, rules: [NOT_THE_TOP, ...PLATFORM_RULES] },
  { dirs: DOMAIN, rules: [NOT_THE_TOP] },
];
const TESTS = ['**/*.test.ts', '**/*.test-helpers.ts'];

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const serverBlocks = GROUPS.flatMap((group) =>
  ROLES.map((role) => ({
    files: group.dirs.map((dir) => `server/src/${dir}/**/${role.files}`),
    // Tests assemble whatever they exercise.
    ignores: [...role.ignores, ...TESTS],
    rules: restrict([...group.rules, ...role.rules]),
  })),
);

/**
 * Plugins (built-in ones under server/src/plugins) get the plugin API and nothing else: never the
 * database handle, the pg driver, a repository, a service or another subsystem.
 */
const pluginBlock = {
  files: ['server/src/plugins/**/*.ts'],
  ignores: TESTS,
  rules: restrict([
    rule(
      '(^pg$|^pg/|(^|/)(db|resources|collab|access|auth|ingest|versions|interchange|datasets|maps|composition|runtime|cli|config|http|api)/|\\.(repo|service|routes)(\\.js)?$)',
      'A plugin gets only the plugin API (processing/plugin-api.ts, plugin-manifest.ts): never the database.',
    ),
  ]),
};

/** Workspaces: shared is used by all and uses none; the client and demo data never reach the server. */
const workspace = (dir, forbidden) => ({
  files: [`${dir}/**/*.ts`, `${dir}/**/*.tsx`],
  rules: restrict([
    rule(
      `^@tessera/(${forbidden.join('|')})(/|$)|(^|/)\\.\\./(\\.\\./)*(${forbidden.join('|')})/`,
      `${dir}/ may not import ${forbidden.join(', ')}.`,
    ),
  ]),
});

/** The import layer rules, one self-contained list of flat-config blocks. */
export const layerRules = [
  ...serverBlocks,
  pluginBlock,
  workspace('shared', ['server', 'tiler', 'client', 'demo-data']),
  workspace('client', ['server', 'tiler', 'demo-data']),
  workspace('tiler', ['server', 'client', 'demo-data']),
  workspace('demo-data', ['server', 'tiler', 'client']),
];
