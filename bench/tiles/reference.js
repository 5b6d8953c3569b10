// The reference the tile benches compare with: openslide-python's example servers (Debian's
// python-openslide-examples), run as processes of their own. deepzoom_server.py serves one slide at
// /slide_files/..., deepzoom_multiserver.py every slide of a directory at /<file>_files/...
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const examples = '/usr/share/doc/python-openslide-examples/examples/deepzoom';
export const deepzoomServer = `${examples}/deepzoom_server.py`;
export const deepzoomMultiserver = `${examples}/deepzoom_multiserver.py`;

/**
 * Starts `script` (one of the above) on 127.0.0.1:`port` with Tessera's tile size and overlap, serving
 * `target` (a slide, or a directory for the multiserver); resolves once it answers `probe`.
 */
export async function startReference(script, port, geometry, target, probe) {
  const child = spawn(
    '/usr/bin/python3',
    [
      script,
      '-l',
      '127.0.0.1',
      '-p',
      String(port),
      '-s',
      String(geometry.tileSize),
      '-e',
      String(geometry.overlap),
      target,
    ],
    { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errorText = '';
  child.stderr.on('data', (d) => {
    errorText = (errorText + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}${probe}`;
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return child;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) throw new Error(`${url}: process exited\n${errorText}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopReference(child);
  throw new Error(`${url} did not come up`);
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export async function peakRssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+)/.exec(status);
  return hwm ? Number(hwm[1]) / 1024 : 0;
}

/** Stops a reference server and waits for it to exit. */
export async function stopReference(child) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await done;
}
