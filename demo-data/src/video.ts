// Encodes generated frames into a short H.264 clip with Debian's ffmpeg (the tiler then takes the
// frames out again, as for any uploaded video).
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes RGB frames (width x height each) as an MP4 at `fps`. One encoder thread and bit-exact flags
 * keep the bytes identical for identical frames (x264's threads could otherwise reorder decisions).
 */
export async function encodeMp4(
  frames: readonly Buffer[],
  o: { width: number; height: number; fps: number },
  file: string,
): Promise<void> {
  const args = [
    ...['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24'],
    ...['-s', `${o.width}x${o.height}`, '-r', String(o.fps), '-i', '-'],
    ...['-c:v', 'libx264', '-preset', 'medium', '-crf', '20', '-pix_fmt', 'yuv420p', '-threads', '1'],
    ...['-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1', file],
  ];
  const child = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null } | { error: Error }>((resolve) => {
    child.once('error', (error) => {
      resolve({ error });
    });
    child.once('exit', (code) => {
      resolve({ code });
    });
  });
  // A failed spawn or an early exit breaks the pipe; the exit code and stderr then tell why.
  await pipeline(Readable.from(frames), child.stdin).catch(() => undefined);
  const outcome = await exited;
  if ('error' in outcome) throw new Error(`ffmpeg could not be started: ${outcome.error.message}`);
  if (outcome.code !== 0) {
    const reason = errors.trim().split('\n')[0] ?? '';
    throw new Error(`ffmpeg failed (exit ${String(outcome.code)}): ${reason}`);
  }
}
