import type { Role } from '@tessera/shared';
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
}

/** Which document: an image's shared one (`copyOwner` null) or one reader's blind copy. */
export interface DocumentTarget {
  readonly userId: number | null;
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
  // A2: blind sets have one document per reader and no shared one; other sets only the shared one.
  if (isBlind(image.collaboration_type) !== (name.userId !== null)) return null;
  const standing = standingOf(caller, { isAdmin: image.is_admin, public: image.public });
  // A1, A3 (P2): the set is seen; in blind sets one's own copy, every copy for those who administer.
  if (!seesCopy({ caller, standing, mode: image.collaboration_type, copyOwner: name.userId })) return null;
  // A4 (P3): readers of a public set read only. A5: members, team admins and superusers write.
  if (!annotates(standing)) return { role: 'viewer', readOnly: true, imageSetId: image.image_set_id };
  return { role: 'annotator', readOnly: false, imageSetId: image.image_set_id };
}
