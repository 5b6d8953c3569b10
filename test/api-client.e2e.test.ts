// The API-client tier: an EXACT notebook's calls, made from Python with `requests` as EXACT's users
// make them, against a real server and tiler. What the server's own tests cannot show: that a client
// written for EXACT (its request forms, its paging, its multipart upload) works unchanged.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Factories } from './support/factories.js';
import { lacking } from './support/prerequisites.js';
import { useTestServer } from './support/server.js';

const flowScript = fileURLToPath(new URL('./api-client/exact_flow.py', import.meta.url));

/** The steps exact_flow.py walks, in order; each prints `ok <step>` when it passed. */
const STEPS = [
  'a wrong password is refused',
  'Basic authentication',
  'token authentication',
  'create team',
  'create image set',
  'create product',
  'create annotation types',
  'upload image',
  'image becomes ready',
  'read pixels',
  'create annotations',
  'upsert by unique_identifier',
  'list and filter annotations',
  'update annotation',
  'verify annotation',
  'export annotations',
  'delete annotations',
];

/** Runs the script to its end (asynchronously: the server answering it runs in this process). */
function runPython(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, output });
    });
  });
}

describe.skipIf(lacking('python3-requests'))('an EXACT notebook flow from Python (requests)', () => {
  const server = useTestServer({ tiler: true });

  it('walks team, set, product, types, upload, annotations, verification and export', async () => {
    const user = await new Factories(server.db).user();
    expect(user.password.length).toBeGreaterThanOrEqual(8);

    const { code, output } = await runPython([flowScript, server.baseUrl, user.username, user.password]);

    expect(output).not.toContain('FAILED');
    const passed = output
      .split('\n')
      .filter((line) => line.startsWith('ok '))
      .map((line) => line.slice(3));
    expect(passed).toEqual(STEPS);
    expect(output).toContain('EXACT flow passed');
    expect(code).toBe(0);
  });

  it('fails with the failing step named when the credentials are wrong', async () => {
    const user = await new Factories(server.db).user();

    const { code, output } = await runPython([flowScript, server.baseUrl, user.username, 'wrong password']);

    expect(code).toBe(1);
    expect(output).toContain('ok a wrong password is refused');
    expect(output).toMatch(/FAILED Basic authentication: GET .* answered 401/);
  });
});
