// The optional system packages the tiler uses, and which of them this machine lacks: without OpenSlide
// scanner slides are refused, without ffmpeg videos; everything else works. Reported by /healthz.
import { openslideAvailable, useOpenSlideLibrary } from '../sources/openslide.ffi.js';
import { ffmpegAvailable, useFfmpeg } from '../sources/video.js';

/** An optional system package. */
export type SystemLibrary = 'openslide' | 'ffmpeg';

/** Points the loaders at the configured OpenSlide library and ffmpeg program. */
export function useSystemLibraries(config: { openslideLibrary: string; ffmpegPath: string }): void {
  useOpenSlideLibrary(config.openslideLibrary);
  useFfmpeg(config.ffmpegPath);
}

/** The optional packages that cannot be loaded here (each looked for once per process). */
export async function missingLibraries(): Promise<SystemLibrary[]> {
  const missing: SystemLibrary[] = [];
  if (!openslideAvailable()) missing.push('openslide');
  if (!(await ffmpegAvailable())) missing.push('ffmpeg');
  return missing;
}

/** Why an upload is refused when a package it needs is missing (shown to the uploader). */
export function missingLibraryReason(library: SystemLibrary): string {
  return library === 'openslide'
    ? 'scanner slides need OpenSlide (libopenslide0), which is not installed where the tiler runs'
    : 'videos need ffmpeg, which is not installed where the tiler runs';
}
