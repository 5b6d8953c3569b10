// Video uploads: Debian's ffmpeg/ffprobe take the frames out as JPEG files (quality 2 of 31, nearly
// lossless), each of which the converter then turns into a pyramid. The only module that runs ffmpeg.
import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

let ffmpeg = 'ffmpeg';
let ffprobe = 'ffprobe';
// Whether ffmpeg runs here, asked once: programs do not come and go while the tiler runs.
let found: Promise<boolean> | undefined;

/** Names the ffmpeg program (a name on PATH or a path); ffprobe is the program of that name beside it. */
export function useFfmpeg(program: string): void {
  ffmpeg = program;
  ffprobe = path.basename(program) === program ? 'ffprobe' : path.join(path.dirname(program), 'ffprobe');
  found = undefined;
}

/** Whether ffmpeg and ffprobe can be run on this machine. */
export function ffmpegAvailable(): Promise<boolean> {
  found ??= Promise.all([run(ffmpeg, ['-version']), run(ffprobe, ['-version'])]).then(
    () => true,
    () => false,
  );
  return found;
}

/** File endings treated as video. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.avi',
  '.mp4',
  '.mkv',
  '.mov',
  '.webm',
  '.mpg',
  '.mpeg',
]);

/** What ffprobe says about a video's first video stream. */
export interface VideoInfo {
  readonly width: number;
  readonly height: number;
  readonly durationSeconds: number;
  readonly frameRate: number;
}

/** Thrown for videos Tessera cannot take apart; the message is meant for the uploader. */
export class VideoError extends Error {
  override readonly name = 'VideoError';
}

/** Whether a file name looks like a video. */
export function isVideoFile(file: string): boolean {
  return VIDEO_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Reads size, duration and frame rate with ffprobe. */
export async function probeVideo(file: string): Promise<VideoInfo> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      ffprobe,
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=width,height,avg_frame_rate,duration:format=duration',
        '-of',
        'json',
        file,
      ],
      { timeout: 60_000, maxBuffer: 1024 * 1024 },
    ));
  } catch (err) {
    throw new VideoError(`not a readable video: ${firstLine(err)}`);
  }
  const parsed = JSON.parse(stdout) as {
    streams?: { width?: number; height?: number; avg_frame_rate?: string; duration?: string }[];
    format?: { duration?: string };
  };
  const stream = parsed.streams?.[0];
  if (!stream?.width || !stream.height) throw new VideoError('the file has no video stream');
  const [num, den] = (stream.avg_frame_rate ?? '0/1').split('/').map(Number);
  const frameRate = num && den ? num / den : 0;
  const durationSeconds = Number(stream.duration ?? parsed.format?.duration ?? 0);
  return { width: stream.width, height: stream.height, durationSeconds, frameRate };
}

/**
 * Writes the video's frames as `000001.jpg`... into `dir`: every frame, or, for long videos, `maxFrames`
 * frames evenly spaced. Answers the files in order and each frame's time.
 */
export async function extractFrames(
  file: string,
  dir: string,
  info: VideoInfo,
  maxFrames: number,
): Promise<{ files: string[]; times: number[] }> {
  await mkdir(dir, { recursive: true });
  const total = info.frameRate * info.durationSeconds;
  const sampled = total > maxFrames && info.durationSeconds > 0;
  const rate = sampled ? maxFrames / info.durationSeconds : info.frameRate;
  const args = ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0'];
  if (sampled) args.push('-vf', `fps=${rate.toFixed(6)}`);
  args.push(
    '-frames:v',
    String(maxFrames),
    '-q:v',
    '2',
    '-fps_mode',
    'passthrough',
    path.join(dir, '%06d.jpg'),
  );
  try {
    await run(ffmpeg, args, { timeout: 30 * 60_000, maxBuffer: 4 * 1024 * 1024 });
  } catch (err) {
    throw new VideoError(`the video's frames cannot be decoded: ${firstLine(err)}`);
  }
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(dir, f));
  if (files.length === 0) throw new VideoError('the video has no frames');
  const step = rate > 0 ? 1 / rate : 0;
  return { files, times: files.map((_, index) => index * step) };
}

/** A frame's time as EXACT-style description: `00:01:02.500`. */
export function formatFrameTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const ms = Math.round((seconds - whole) * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}.${pad(ms, 3)}`;
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  const text = (e.stderr ?? '').trim() || (e.message ?? String(err));
  return text.split('\n')[0] ?? text;
}
