import { annotationsOf } from '@tessera/shared';
import * as Y from 'yjs';
import type { Database } from '../db/database.js';
import { readDocument } from './document-store.js';
import { documentRetired } from '../access/policy/document-grant.js';
import { parseDocumentName } from './document-names.js';
import { DocumentsRepo } from './documents.repo.js';
import { projectAll } from './projection.extension.js';
import { ProjectionRepo } from './projection.repo.js';

/**
 * Rebuilds the annotation projection from the documents in PostgreSQL (state plus log), for every
 * document or the named ones: what `tessera projection rebuild` runs. Rows of annotations a document
 * no longer holds are removed. Rows written repaired or left out (projection-repair.ts) are counted.
 */
export async function rebuildProjection(
  db: Database,
  only?: readonly string[],
  progress: (document: string, annotations: number) => void = () => undefined,
): Promise<{ documents: number; annotations: number; repaired: number; quarantined: number }> {
  const repo = new DocumentsRepo(db);
  const projection = new ProjectionRepo(db);
  const names = only ?? (await repo.documentNames());
  let annotations = 0;
  let repaired = 0;
  let quarantined = 0;
  for (const name of names) {
    const parsed = parseDocumentName(name);
    const image = parsed && (await repo.imageAccess(parsed.imageId, 0));
    if (!image) continue;
    // G6: a retired whole document projects nothing; its annotations live in the region documents.
    if (documentRetired(parsed, image)) {
      await projection.deleteOthers(name, []);
      progress(name, 0);
      continue;
    }
    const doc = new Y.Doc();
    await readDocument(repo, name, doc);
    const ids = [...annotationsOf(doc).keys()];
    const damage = await projectAll(
      projection,
      name,
      { imageId: image.image_id, imageSetId: image.image_set_id },
      doc,
      ids,
    );
    repaired += damage.repaired.length;
    quarantined += damage.quarantined.length;
    await projection.deleteOthers(name, ids);
    annotations += ids.length;
    progress(name, ids.length);
    doc.destroy();
  }
  return { documents: names.length, annotations, repaired, quarantined };
}
