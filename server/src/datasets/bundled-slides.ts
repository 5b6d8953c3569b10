import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real scans the demo data sets serve, in the server's assets (`server/assets/slides`, with their
 * sources and licences in SOURCES.md); the same relative path holds from `src/` and `dist/`.
 */
export const BUNDLED_SLIDES = fileURLToPath(new URL('../../assets/slides/', import.meta.url));

/** The path of a bundled slide. */
export function bundledSlide(file: string): string {
  return path.join(BUNDLED_SLIDES, file);
}

/** Null when every named slide is readable, else why not (for the catalogue's "unavailable"). */
export async function missingSlides(files: readonly string[]): Promise<string | null> {
  const missing: string[] = [];
  for (const file of files) {
    await access(bundledSlide(file), constants.R_OK).catch(() => missing.push(file));
  }
  if (missing.length === 0) return null;
  return `The demo's slides are not on this machine: ${missing.join(', ')} not found in ${BUNDLED_SLIDES}.`;
}
