import type { SystemLibrary } from '@tessera/tiler';

const PACKAGES: Record<SystemLibrary, { debian: string; brew: string; enables: string }> = {
  openslide: { debian: 'libopenslide0', brew: 'openslide', enables: 'scanner slides (.svs, .ndpi, ...)' },
  ffmpeg: { debian: 'ffmpeg', brew: 'ffmpeg', enables: 'videos' },
};

/**
 * The one line `start` prints when the tiler lacks optional packages: what is missing, what it would
 * enable and how to install it. Null when nothing is missing.
 */
export function missingLibrariesLine(missing: readonly SystemLibrary[]): string | null {
  if (missing.length === 0) return null;
  const wanted = missing.map((library) => PACKAGES[library]);
  const names = wanted.map((p) => p.debian).join(' ');
  return (
    `Not installed: ${wanted.map((p) => p.debian).join(' and ')}; ${wanted.map((p) => p.enables).join(' and ')} ` +
    `will be refused, everything else works. Install: apt-get install ${names} ` +
    `(macOS: brew install ${wanted.map((p) => p.brew).join(' ')})`
  );
}
