// After the server refused one of our updates and the document was loaded afresh: which of this
// user's local annotations were newer than the server's, written again as ordinary edits.
import type * as Y from 'yjs';
import {
  EDITABLE_FIELDS,
  createAnnotation,
  readRecord,
  sameJson,
  updateFields,
  type Annotation,
  type FieldChanges,
} from '@tessera/shared';
import { LOCAL_ORIGIN } from './annotation-editor';

/**
 * Writes into `fresh` the annotations of `local` that this user edited last and more recently than
 * the server's copy and pass `isValid` (the schema): missing ones are created, differing fields rewritten (one transaction). What
 * the server refused may come back only if the refusal was about a state that has changed since;
 * the caller stops after a second refusal. Returns the ids written.
 */
export function rewriteNewerWork(
  fresh: Y.Doc,
  local: readonly Annotation[],
  userId: number,
  isValid: (annotation: Annotation) => boolean,
): string[] {
  const written: string[] = [];
  fresh.transact(() => {
    for (const mine of local) {
      if (mine.edited.by !== userId || !isValid(mine)) continue;
      const server = readRecord(fresh, mine.id);
      if (server === null) {
        if (mine.created.by !== userId || mine.deleted) continue;
        createAnnotation(
          fresh,
          {
            id: mine.id,
            type: mine.type,
            vector: mine.vector,
            description: mine.description,
            meta: mine.meta,
          },
          { userId },
          LOCAL_ORIGIN,
        );
        written.push(mine.id);
        continue;
      }
      const serverEdited = server['edited'] as { at?: number } | undefined;
      if ((serverEdited?.at ?? 0) >= mine.edited.at) continue;
      const changes: FieldChanges = {};
      for (const field of EDITABLE_FIELDS) {
        if (!sameJson(server[field], mine[field])) Object.assign(changes, { [field]: mine[field] });
      }
      if (updateFields(fresh, mine.id, changes, { userId }, LOCAL_ORIGIN).length > 0) written.push(mine.id);
    }
  }, LOCAL_ORIGIN);
  return written;
}
