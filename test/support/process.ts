import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../server/dist/cli/main.js', import.meta.url));

/** A port that was free a moment ago (for processes that need a fixed one, like PostgreSQL). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

export interface TesseraProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
}

export interface RunOptions {
  /** Its own process group (pid = group id), so a test can signal the group as a terminal would. */
  readonly detached?: boolean;
}

/** Runs the built `tessera` CLI with the given environment (on top of PATH and HOME only). */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: RunOptions = {},
): TesseraProcess {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first (npm test does)`);
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      // A death by signal shows in the output, which failing assertions print.
      if (signal !== null) text += `\n[killed by ${signal}]\n`;
      resolve(code);
    }),
  );
  return {
    child,
    output: () => text,
    exited: () => exit,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${text}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`process exited while waiting for ${String(pattern)}; output:\n${text}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
  };
}

/**
 * `tessera start` on `dataDir` with its own free ports (embedded PostgreSQL, tiler) and an OS-chosen
 * HTTP port; resolves once the URL is printed. `extraEnv` adds or overrides settings; the process is
 * added to `running` at once, so a test's cleanup can kill it even if it never printed its URL.
 */
export async function startTessera(
  dataDir: string,
  running: TesseraProcess[],
  extraEnv: Record<string, string> = {},
  options: RunOptions = {},
): Promise<{ p: TesseraProcess; url: string }> {
  const p = runCli(
    ['start'],
    {
      TESSERA_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      TESSERA_EMBEDDED_DB_PORT: String(await freePort()),
      TESSERA_TILER_PORT: String(await freePort()),
      TESSERA_LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    options,
  );
  running.push(p);
  const [, url = ''] = await p.waitFor(/Tessera is running at (http:\/\/\S+)\//, 90_000);
  return { p, url };
}
