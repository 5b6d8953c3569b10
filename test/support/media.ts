import { execFileSync } from 'node:child_process';

/**
 * Writes a synthetic clip of ffmpeg's test pattern (every frame differs) to `file`; the container
 * follows the file's ending (.mp4, .avi, .gif, ...).
 */
export function makeTestClip(
  file: string,
  o: { seconds: number; width: number; height: number; fps: number },
): void {
  const pattern = `testsrc=duration=${o.seconds}:size=${o.width}x${o.height}:rate=${o.fps}`;
  const pixels = file.endsWith('.gif') ? [] : ['-pix_fmt', 'yuv420p'];
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', pattern, ...pixels, file]);
}
