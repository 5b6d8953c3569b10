import { execFile } from 'node:child_process';
import { readFile, realpath, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging/logger.js';

/** How long an orphaned PostgreSQL gets for a fast shutdown before the start gives up on it. */
const ORPHAN_STOP_LIMIT_MS = 30_000;

/**
 * Clears the way for starting the embedded PostgreSQL on `databaseDir`. A run killed by SIGKILL
 * leaves its PostgreSQL running (it is a separate process, and no handler runs on SIGKILL), holding
 * the data directory's lock file: the next start would fail with "lock file already exists". So:
 * a postmaster.pid whose process is a PostgreSQL serving THIS directory is an orphan of ours and is
 * stopped (SIGINT, PostgreSQL's fast shutdown: sessions end, data is flushed); a postmaster.pid
 * whose process is gone, or is some other program that reuses the number, is stale and removed.
 */
export async function clearEmbeddedLock(databaseDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [firstLine = '', dirLine = ''] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(firstLine);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    if (await isPostgresOf(pid, databaseDir, dirLine)) {
      logger.warn(
        { pid, databaseDir },
        'stopping the embedded PostgreSQL an earlier, killed run left running',
      );
      await stopProcess(pid);
      if (!existsSync(pidFile)) return;
    }
  }
  await rm(pidFile, { force: true });
  logger.warn({ pidFile }, 'removed a stale postmaster.pid from an earlier run');
}

/**
 * Whether `pid` is a PostgreSQL server of `databaseDir`: the lock file names the directory, and the
 * process's command line is the postgres binary started with `-D` on it. Both, so a recycled process
 * number never gets a signal from us.
 */
async function isPostgresOf(pid: number, databaseDir: string, lockDir: string): Promise<boolean> {
  const wanted = await realpath(databaseDir);
  const locked = await realpath(lockDir.trim()).catch(() => '');
  if (locked !== wanted) return false;
  const args = await commandLine(pid);
  const program = path.basename(args[0] ?? '');
  const dataArg = args[args.indexOf('-D') + 1];
  if (program !== 'postgres' || dataArg === undefined) return false;
  return (await realpath(dataArg).catch(() => '')) === wanted;
}

/** A process's argument vector: /proc on Linux, `ps` elsewhere (macOS). */
async function commandLine(pid: number): Promise<string[]> {
  const proc = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    const raw = await readFile(proc, 'utf8').catch(() => '');
    return raw.split('\0').filter((a) => a !== '');
  }
  const { stdout } = await promisify(execFile)('ps', ['-o', 'args=', '-p', String(pid)]).catch(() => ({
    stdout: '',
  }));
  return stdout.trim().split(/\s+/);
}

/** Asks for a fast shutdown and waits until the process is gone. */
async function stopProcess(pid: number): Promise<void> {
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + ORPHAN_STOP_LIMIT_MS;
  while (isRunning(pid)) {
    if (Date.now() > deadline)
      throw new Error(
        `The embedded PostgreSQL left by an earlier run (pid ${pid}) did not stop within ` +
          `${ORPHAN_STOP_LIMIT_MS / 1000} s; stop it, then start again.`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isRunning(pid: number): boolean {
  // A process that ended but was not reaped yet (its parent died and the container's init does not
  // reap) still answers signal 0: it is gone all the same.
  if (processState(pid) === 'Z') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres user, when we run as root and it
    // does not): still running.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The state letter of /proc/PID/stat (R, S, Z, ...), or undefined without /proc. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}
