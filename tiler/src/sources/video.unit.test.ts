import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestClip } from '../../../test/support/media.js';
import { extractFrames, formatFrameTime, isVideoFile, probeVideo, VideoError } from './video.js';
import { lacking } from '../../../test/support/prerequisites.js';

let dir = '';
let video = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-video-'));
  video = path.join(dir, 'clip.mp4');
  // A synthetic clip: 2 s of ffmpeg's test pattern at 5 frames per second, 160x120.
  makeTestClip(video, { seconds: 2, width: 160, height: 120, fps: 5 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(lacking('ffmpeg'))('video frames', () => {
  it('probes size, duration and frame rate', async () => {
    const info = await probeVideo(video);
    expect(info).toMatchObject({ width: 160, height: 120, frameRate: 5 });
    expect(info.durationSeconds).toBeCloseTo(2, 1);
  });

  it('takes out every frame with its time', async () => {
    const info = await probeVideo(video);
    const { files, times } = await extractFrames(video, path.join(dir, 'all'), info, 1000);
    expect(files).toHaveLength(10);
    expect(times.map(formatFrameTime).slice(0, 3)).toEqual(['00:00:00.000', '00:00:00.200', '00:00:00.400']);
  });

  it('samples long videos evenly down to the limit', async () => {
    const info = await probeVideo(video);
    const { files, times } = await extractFrames(video, path.join(dir, 'sampled'), info, 4);
    expect(files).toHaveLength(4);
    expect(times).toEqual([0, 0.5, 1, 1.5]);
  });

  it('refuses a file that is not a video', async () => {
    const fake = path.join(dir, 'fake.mp4');
    execFileSync('sh', ['-c', `echo not a video > ${fake}`]);
    await expect(probeVideo(fake)).rejects.toBeInstanceOf(VideoError);
    expect(isVideoFile('a.MKV')).toBe(true);
    expect(isVideoFile('a.svs')).toBe(false);
  });
});
