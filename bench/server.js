// The benches' Tessera: `tessera start` from server/dist as a separate process on its own database,
// with a known admin; resolves with the child and its base URL once the URL is printed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The admin every bench signs in as. */
export const ADMIN = { username: 'bench', password: 'bench-password-1' };
export const basicAuth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

/** Starts the server; `env` adds to (or overrides) the settings every bench uses. */
export function startTessera({ databaseUrl, dataDir, env = {} }) {
  const child = spawn(process.execPath, [path.join(root, 'server/dist/cli/main.js'), 'start'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_USERNAME: ADMIN.username,
      TESSERA_ADMIN_PASSWORD: ADMIN.password,
      TESSERA_LOG_LEVEL: 'error',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+)\//.exec(out);
      if (m) resolve({ child, baseUrl: m[1] });
    });
    child.on('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
}

/** A JSON call to the REST API as the bench admin; throws with the answer on anything but 2xx. */
export async function api(baseUrl, method, route, body) {
  const res = await fetch(`${baseUrl}/api/v1${route}`, {
    method,
    headers: { authorization: basicAuth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}
