import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTessera, type TesseraProcess } from './support/process.js';

const running: TesseraProcess[] = [];
let dataDir = '';

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

describe('tessera start shutting down', () => {
  it('restarts nothing and cancels the demo set-up when its process group gets SIGTERM', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-shutdown-'));
    // The first start sets the demo data sets up in the background; the signal comes in the middle.
    const { p } = await startTessera(
      dataDir,
      running,
      { TESSERA_LOG_LEVEL: 'info', TESSERA_JOB_POLL_MS: '200' },
      { detached: true },
    );
    await p.waitFor(/Setting up the demo team/);
    // As a terminal's Ctrl-C or a service manager does: the whole group, tiler included if it were in it.
    process.kill(-(p.child.pid ?? 0), 'SIGTERM');
    expect(await p.exited(), p.output()).toBe(0);

    const output = p.output();
    const afterShutdown = output.slice(output.indexOf('shutting down'));
    expect(output).toContain('shutting down');
    expect(afterShutdown).toContain('demo data set-up cancelled by the shutdown');
    expect(afterShutdown).not.toMatch(/tiler exited|restarting/);
    expect(afterShutdown).not.toContain('data set set up');
    expect(afterShutdown).not.toMatch(/Demo data ready/);
    expect(afterShutdown).toContain('stopped');
  }, 240_000);
});
