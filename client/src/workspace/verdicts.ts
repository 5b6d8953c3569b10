// A verdict on annotations from this browser: the user's own verification in the live document (one
// value per annotation and user, so reviewers never conflict). Every accept or reject, a second
// opinion or an algorithm's proposal, one by one or in bulk, goes through `castVerdicts`.
import type * as Y from 'yjs';
import { annotationsOf, setVerification } from '@tessera/shared';
import { LOCAL_ORIGIN } from './annotation-editor';
import { byDocument, type DocumentRouter } from './document-router';

/**
 * Sets `userId`'s verdict on the annotations `ids` (true accepts, false rejects), replacing their
 * earlier ones, in one transaction (one update, however many); returns the ids written (ids the
 * document does not have are skipped).
 */
export function castVerdicts(doc: Y.Doc, ids: Iterable<string>, userId: number, verified: boolean): string[] {
  const annotations = annotationsOf(doc);
  const present = [...ids].filter((id) => annotations.has(id));
  if (present.length === 0) return [];
  doc.transact(() => {
    for (const id of present) setVerification(doc, id, verified, { userId }, LOCAL_ORIGIN);
  }, LOCAL_ORIGIN);
  return present;
}

/**
 * `castVerdicts` over an image's documents: each annotation's verdict goes into the document holding
 * it (an image with regions, G1), one transaction per document; returns the ids written.
 */
export function castRoutedVerdicts(
  router: DocumentRouter,
  ids: Iterable<string>,
  userId: number,
  verified: boolean,
): string[] {
  const written: string[] = [];
  for (const [doc, group] of byDocument(router, ids))
    written.push(...castVerdicts(doc, group, userId, verified));
  return written;
}
