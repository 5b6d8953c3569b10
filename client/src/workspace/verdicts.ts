// A verdict on an annotation from this browser: the user's own verification in the live document
// (one value per annotation and user, so reviewers never conflict). Accepting or rejecting anything,
// a second opinion or an algorithm's proposal, goes through `castVerdict`.
import type * as Y from 'yjs';
import { annotationsOf, setVerification } from '@tessera/shared';
import { LOCAL_ORIGIN } from './annotation-editor';

/**
 * Sets `userId`'s verdict on annotation `id` (true accepts, false rejects), replacing their earlier
 * one; false if the document has no such annotation.
 */
export function castVerdict(doc: Y.Doc, id: string, userId: number, verified: boolean): boolean {
  if (!annotationsOf(doc).has(id)) return false;
  setVerification(doc, id, verified, { userId }, LOCAL_ORIGIN);
  return true;
}
