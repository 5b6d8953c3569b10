/*
 * Names of annotation documents (pure). One document per image (`image.<imageId>`) in collaborative
 * and second-opinion sets; one per image and user (`image.<imageId>.user.<userId>`) in blind sets. An
 * image with regions (regions.ts) splits each of those into an index document (`<base>.regions`:
 * image-level labels and the server's region index) and one document per region
 * (`<base>.region.<x>.<y>`).
 */
import { parseRegionKey, regionKey, type Region } from './regions.js';

/** Which part of a sharded image's annotations a document holds. */
export type DocumentPart = { readonly kind: 'index' } | { readonly kind: 'region'; readonly region: Region };

/** What a document name designates: an image, for blind sets the user whose copy it is, and its part. */
export interface DocumentName {
  readonly imageId: number;
  /** The owner of a blind (competitive) copy, or null for the image's shared document. */
  readonly userId: number | null;
  /** Absent for the one document of an image without regions. */
  readonly part?: DocumentPart;
}

const MAX_ID = 2_147_483_647;
const pattern =
  /^image\.([1-9][0-9]{0,9})(?:\.user\.([1-9][0-9]{0,9}))?(?:\.(regions)|\.region\.([0-9]{1,7}\.[0-9]{1,7}))?$/;

/** Parses a document name; null for anything that is not exactly one of the forms above. */
export function parseDocumentName(name: string): DocumentName | null {
  const match = pattern.exec(name);
  if (match?.[1] === undefined) return null;
  const imageId = Number(match[1]);
  const userId = match[2] === undefined ? null : Number(match[2]);
  if (imageId > MAX_ID || (userId !== null && userId > MAX_ID)) return null;
  if (match[3] !== undefined) return { imageId, userId, part: { kind: 'index' } };
  if (match[4] !== undefined) {
    const region = parseRegionKey(match[4]);
    return region === null ? null : { imageId, userId, part: { kind: 'region', region } };
  }
  return { imageId, userId };
}

/** The document name of an image, or of one user's blind copy of it, or of one part of either. */
export function formatDocumentName(name: DocumentName): string {
  const base = name.userId === null ? `image.${name.imageId}` : `image.${name.imageId}.user.${name.userId}`;
  if (name.part === undefined) return base;
  return name.part.kind === 'index' ? `${base}.regions` : `${base}.region.${regionKey(name.part.region)}`;
}

/** The name of the image's (or copy's) document without its part: what access rules look at. */
export function baseDocumentName(name: DocumentName): string {
  return formatDocumentName({ imageId: name.imageId, userId: name.userId });
}
