import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DocumentsRepo } from './documents.repo.js';
import {
  eventually,
  makeFixture,
  saved,
  sessionOf,
  useCollabServer,
  waitFor,
} from '../../../test/support/collab-server.js';

const h = useCollabServer({ compactEvery: 10 });

describe('compaction', () => {
  it('[P4] compacts every N updates and on unload; the content stays identical and the log shrinks', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const repo = new DocumentsRepo(h.db);
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    const ids: string[] = [];
    for (let i = 0; i < 35; i++) {
      const vector = { x1: i, y1: i, x2: i + 5, y2: i + 5 };
      ids.push(
        createAnnotation(
          client.doc,
          { id: randomUUID(), type: fx.boxType, vector },
          { userId: fx.member.id },
        ),
      );
    }
    for (const id of ids.slice(0, 10)) {
      updateFields(
        client.doc,
        id,
        { description: 'moved', vector: { x1: 0, y1: 0, x2: 1, y2: 1 } },
        { userId: fx.member.id },
      );
    }
    await saved(client);
    // 45 updates were logged; the compactions every 10 leave a state row and fewer log rows.
    await eventually(async () => (await repo.state(name)) !== undefined, 'a compaction');
    await eventually(async () => (await repo.updatesAfter(name, 0)).length < 10, 'a short log');
    const expected = listAnnotations(client.doc);

    client.destroy();
    await waitFor(() => h.collab.hocuspocus.getDocumentsCount() === 0, 'the document to unload');
    expect(await repo.updatesAfter(name, 0)).toHaveLength(0);

    await h.restart();
    const fresh = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    await saved(fresh);
    await waitFor(() => annotationsOf(fresh.doc).size === 35, 'the compacted document');
    expect(listAnnotations(fresh.doc)).toEqual(expected);
  });
});
