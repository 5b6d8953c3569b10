/*
 * Names of annotation documents (pure). One document per image (`image.<imageId>`) in collaborative
 * and second-opinion sets; one per image and user (`image.<imageId>.user.<userId>`) in blind sets.
 */

/** What a document name designates: an image, and for blind sets the user whose copy it is. */
export interface DocumentName {
  readonly imageId: number;
  /** The owner of a blind (competitive) copy, or null for the image's shared document. */
  readonly userId: number | null;
}

const MAX_ID = 2_147_483_647;
const pattern = /^image\.([1-9][0-9]{0,9})(?:\.user\.([1-9][0-9]{0,9}))?$/;

/** Parses a document name; null for anything that is not exactly one of the two forms. */
export function parseDocumentName(name: string): DocumentName | null {
  const match = pattern.exec(name);
  if (match?.[1] === undefined) return null;
  const imageId = Number(match[1]);
  const userId = match[2] === undefined ? null : Number(match[2]);
  if (imageId > MAX_ID || (userId !== null && userId > MAX_ID)) return null;
  return { imageId, userId };
}

/** The document name of an image, or of one user's blind copy of it. */
export function formatDocumentName(name: DocumentName): string {
  return name.userId === null ? `image.${name.imageId}` : `image.${name.imageId}.user.${name.userId}`;
}
