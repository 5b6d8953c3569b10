import type { Role } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import type { ImageAccessRow } from './documents.repo.js';
import type { DocumentName } from './document-names.js';

/** image_sets.collaboration_type of blind (competitive) sets. */
export const BLIND = 1;

/** What a user may do with a document they may open. */
export interface DocumentGrant {
  readonly role: Role;
  readonly readOnly: boolean;
  readonly imageSetId: number;
}

/**
 * Who may open an image's document, and how (README rules A1-A5); null means refuse. `image` is
 * undefined when the image does not exist, which is refused exactly like an image one may not see.
 */
export function grantFor(
  viewer: Viewer,
  name: DocumentName,
  image: ImageAccessRow | undefined,
): DocumentGrant | null {
  if (image === undefined) return null;
  const admin = viewer.isSuperuser || image.is_admin === true;
  const member = admin || image.is_admin !== null;
  // A1: the image's set must be visible: team members, superusers, or anyone for public sets.
  if (!member && !image.public) return null;
  // A2: blind sets have one document per user and no shared one; other sets only the shared one.
  const blind = image.collaboration_type === BLIND;
  if (blind !== (name.userId !== null)) return null;
  // A3: in blind sets a user opens only their own copy; team admins (and superusers) open all.
  if (blind && name.userId !== viewer.id && !admin) return null;
  // A4: non-members of a public set read only. A5: members and admins read and write.
  if (!member) return { role: 'viewer', readOnly: true, imageSetId: image.image_set_id };
  return { role: 'annotator', readOnly: false, imageSetId: image.image_set_id };
}
