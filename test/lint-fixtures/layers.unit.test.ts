import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Lints a fixture's text as if it lived at `asPath`, with only the layer rules (no type information). */
async function lint(fixture: string, asPath: string): Promise<Linter.LintMessage[]> {
  const { layerRules } = (await import(pathToFileURL(`${root}eslint.layers.js`).href)) as {
    layerRules: Linter.Config[];
  };
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layerRules],
  });
  const text = await readFile(new URL(fixture, import.meta.url), 'utf8');
  const [result] = await eslint.lintText(text, { filePath: `${root}${asPath}` });
  return result?.messages ?? [];
}

describe('import layer rules', () => {
  it.each([
    ['platform-imports-resource', 'server/src/db/upward.ts', 'may not import resources or subsystems'],
    [
      'repo-imports-service',
      'server/src/resources/teams/teams-extra.repo.ts',
      'A repository may not import services',
    ],
    ['shared-imports-server', 'shared/src/upward.ts', 'shared/ may not import server'],
    [
      'plugin-imports-db',
      'server/src/plugins/builtin/counter/counter.ts',
      'A plugin gets only the plugin API',
    ],
  ])('refuses %s (linted as %s)', async (fixture, asPath, refusal) => {
    const messages = await lint(`${fixture}.fixture.ts`, asPath);
    expect(messages.map((m) => [m.ruleId, m.message])).toEqual([
      ['no-restricted-imports', expect.stringContaining(refusal)],
    ]);
  });

  it('lets a repository use the database and other repositories', async () => {
    const messages = await lint(
      'repo-imports-db.fixture.ts',
      'server/src/resources/teams/teams-extra.repo.ts',
    );
    expect(messages).toEqual([]);
  });
});
