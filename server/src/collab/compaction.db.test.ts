import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DocumentsRepo } from './documents.repo.js';
import { makeFixture, saved, sessionOf, useCollabServer } from '../../../test/support/collab-server.js';

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
    await expect
      .poll(async () => (await repo.state(name)) !== undefined, { message: 'a compaction' })
      .toBe(true);
    await expect
      .poll(async () => (await repo.updatesAfter(name, 0)).length < 10, { message: 'a short log' })
      .toBe(true);
    const expected = listAnnotations(client.doc);

    client.destroy();
    await expect
      .poll(() => h.collab.hocuspocus.getDocumentsCount() === 0, { message: 'the document to unload' })
      .toBe(true);
    expect(await repo.updatesAfter(name, 0)).toHaveLength(0);

    await h.restart();
    const fresh = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    await saved(fresh);
    await expect
      .poll(() => annotationsOf(fresh.doc).size === 35, { message: 'the compacted document' })
      .toBe(true);
    expect(listAnnotations(fresh.doc)).toEqual(expected);
  });
});
