import type { z } from 'zod';
import type { Shape } from './geometry.js';

/**
 * What every import format parses to, before it meets an image set: the importers' common ground
 * (the data-sets engineer's folder imports use the same). Parsing checks the file's own structure
 * and throws `ImportFormatError` naming the line or feature; whether the images and annotation types
 * it names exist is decided when it is applied to an image set (and reported as skipped).
 */
export interface ImportItem {
  /** Where the item is in its file, for reports: `line 5`, `feature 2`, `annotations[3]`. */
  readonly where: string;
  /** The image by name (the file name as uploaded or the pseudonymised name); null: the import's image. */
  readonly imageName: string | null;
  readonly typeName: string;
  /** The drawn shape; null for image-level labels. */
  readonly shape: Shape | null;
  readonly uniqueIdentifier?: string;
  readonly description?: string;
  readonly deleted?: boolean;
  readonly generated?: boolean;
  readonly score?: number | null;
}

/** A parsed import file. */
export interface ParsedImport {
  readonly items: readonly ImportItem[];
}

/** A malformed import file: nothing of it is imported; the message names the line or feature. */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

/** The first zod issue as `where: message`, with the path written like `annotations[3].bbox`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
