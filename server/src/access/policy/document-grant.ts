import type { DocumentPart, Role } from '@tessera/shared';
import { isBlind } from './modes.js';
import { annotates, seesCopy } from './rules.js';
import { standingOf, type Caller } from './standing.js';

/** What a user may do with a live document they may open. */
export interface DocumentGrant {
  readonly role: Role;
  readonly readOnly: boolean;
  readonly imageSetId: number;
}

/** A document's image, its set and the caller's membership in the set's team. */
export interface DocumentImage {
  readonly image_set_id: number;
  readonly public: boolean;
  readonly collaboration_type: number;
  /** The caller's membership: true admin, false member, null none. */
  readonly is_admin: boolean | null;
  /** The image's region size (collab rules G1-G6); null or absent: one document per image (or copy). */
  readonly annotation_region_size?: number | null;
}

/** Which document: an image's shared one (`userId` null) or one reader's blind copy, and its part. */
export interface DocumentTarget {
  readonly userId: number | null;
  /** A region's or the index document of an image with regions; absent for the whole document. */
  readonly part?: DocumentPart;
}

/**
 * Who may open an image's live document, and how (collab README rules A1-A5, written with the rules
 * P2 and P3); null means refuse. `image` is undefined when the image does not exist, which is refused
 * exactly like an image one may not see.
 */
export function grantFor(
  caller: Caller,
  name: DocumentTarget,
  image: DocumentImage | undefined,
): DocumentGrant | null {
  if (image === undefined) return null;
  // G1: only an image with regions has parts; asking for one elsewhere is a malformed name (A1).
  if (name.part !== undefined && (image.annotation_region_size ?? null) === null) return null;
  // A2: blind sets have one document per reader and no shared one; other sets only the shared one.
  if (isBlind(image.collaboration_type) !== (name.userId !== null)) return null;
  const standing = standingOf(caller, { isAdmin: image.is_admin, public: image.public });
  // A1, A3 (P2): the set is seen; in blind sets one's own copy, every copy for those who administer.
  if (!seesCopy({ caller, standing, mode: image.collaboration_type, copyOwner: name.userId })) return null;
  // A4 (P3): readers of a public set read only. A5: members, team admins and superusers write.
  if (!annotates(standing)) return { role: 'viewer', readOnly: true, imageSetId: image.image_set_id };
  return { role: 'annotator', readOnly: false, imageSetId: image.image_set_id };
}

/**
 * G6: the whole document of an image with regions was retired when the image was converted: kept for
 * the versions that captured it, refused to clients (`document-retired`) once access is granted.
 */
export function documentRetired(name: DocumentTarget, image: DocumentImage): boolean {
  return name.part === undefined && (image.annotation_region_size ?? null) !== null;
}
