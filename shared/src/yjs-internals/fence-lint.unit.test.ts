import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/*
 * The lint rule that keeps Yjs's internals inside this folder (eslint.yjs-fence.js), run through
 * ESLint's Node API on a fixture that breaks it on every line it can (test/lint-fixtures/).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = 'test/lint-fixtures/yjs-private-access.fixture.ts';
/** The fixture's lines marked as breaking the fence (1-based, as ESLint counts). */
async function breakingLines(): Promise<number[]> {
  const text = await readFile(join(root, FIXTURE), 'utf8');
  return text.split('\n').flatMap((line, i) => (line.endsWith('// breaks') ? [i + 1] : []));
}

async function fenceOnly(): Promise<ESLint> {
  const url = pathToFileURL(join(root, 'eslint.yjs-fence.js')).href;
  const { yjsFence } = (await import(url)) as { yjsFence: Linter.Config };
  const parser: Linter.Config = { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } };
  return new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [parser, yjsFence] });
}

const fenceErrors = (results: ESLint.LintResult[]) =>
  results.flatMap((result) => result.messages).filter((message) => message.ruleId === 'no-restricted-syntax');

describe('the Yjs fence lint rule', () => {
  it("fires on every use of Yjs's internals outside the folder", async () => {
    const eslint = await fenceOnly();
    const errors = fenceErrors(await eslint.lintFiles([FIXTURE]));
    const expected = await breakingLines();
    expect(expected).toHaveLength(7);
    expect(errors.map((error) => error.line).sort((a, b) => a - b)).toEqual(expected);
    expect(errors.every((error) => error.severity === 2)).toBe(true);
    expect(errors[0]?.message).toMatch(/shared\/src\/yjs-internals/);
  });

  it('lets the same code pass inside the folder', async () => {
    const eslint = await fenceOnly();
    const text = await readFile(join(root, FIXTURE), 'utf8');
    const results = await eslint.lintText(text, {
      filePath: join(root, 'shared/src/yjs-internals/fixture-copy.ts'),
    });
    expect(results[0]?.messages.filter((message) => message.fatal === true)).toEqual([]);
    expect(fenceErrors(results)).toEqual([]);
  });

  it("is part of the project's config for every file but the folder's", { timeout: 60_000 }, async () => {
    const eslint = new ESLint({ cwd: root });
    const selectorsFor = async (file: string) => {
      const config = (await eslint.calculateConfigForFile(join(root, file))) as Linter.Config;
      const setting = config.rules?.['no-restricted-syntax'];
      return Array.isArray(setting)
        ? setting.slice(1).map((entry) => String((entry as { selector?: string }).selector))
        : [];
    };
    const outside = await selectorsFor('server/src/collab/persistence.extension.ts');
    expect(outside.some((selector) => selector.includes('|observers|'))).toBe(true);
    expect(await selectorsFor('client/src/workspace/live-document.ts')).toEqual(outside);
    expect(
      (await selectorsFor('shared/src/yjs-internals/doc-internals.ts')).some((s) =>
        s.includes('|observers|'),
      ),
    ).toBe(false);
    expect(await eslint.isPathIgnored(join(root, FIXTURE))).toBe(true);
  });
});
