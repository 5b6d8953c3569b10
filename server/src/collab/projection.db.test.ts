import { randomUUID } from 'node:crypto';
import { createAnnotation, markDeleted, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { makeFixture, saved, tokenOf, useCollabServer } from '../../../test/support/collab-server.js';

const h = useCollabServer();

interface Row {
  unique_identifier: string;
  annotation_type_id: number;
  deleted: boolean;
  x_min: number | null;
  x_max: number | null;
  description: string;
  user_id: number;
  last_editor_id: number;
}

const rows = (document: string) =>
  h.db.query<Row>(
    `SELECT unique_identifier, annotation_type_id, deleted, x_min, x_max, description, user_id, last_editor_id
     FROM annotations WHERE document = $1 ORDER BY x_min NULLS FIRST`,
    [document],
  );

describe('the SQL projection', () => {
  it('[R1] mirrors creates, moves, relabels and deletes from clients right after they apply', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const client = h.connect(name, { token: await tokenOf(h, fx.member) });
    await saved(client);
    const a = createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 10, y1: 10, x2: 20, y2: 20 } },
      { userId: fx.member.id },
    );
    const b = createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 100, y1: 5, x2: 140, y2: 50 } },
      { userId: fx.member.id },
    );
    updateFields(
      client.doc,
      a,
      { vector: { x1: 30, y1: 30, x2: 45, y2: 44 }, type: fx.otherBoxType },
      { userId: fx.member.id },
    );
    markDeleted(client.doc, b, { userId: fx.member.id });
    await saved(client);
    await h.collab.projection.settled(name);
    expect(await rows(name)).toEqual([
      expect.objectContaining({
        unique_identifier: a,
        annotation_type_id: fx.otherBoxType,
        x_min: 30,
        x_max: 45,
        deleted: false,
        user_id: fx.member.id,
      }),
      expect.objectContaining({ unique_identifier: b, deleted: true, x_min: 100, x_max: 140 }),
    ]);
  });

  it('[R1] projects the earliest and the latest time a document may hold', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const client = h.connect(name, { token: await tokenOf(h, fx.member) });
    await saved(client);
    // 8.64e15 ms is the last JavaScript date (year 275760): ISO text writes it "+275760-09-13...".
    const times = [0, 8_640_000_000_000_000];
    const ids = times.map((now, i) =>
      createAnnotation(
        client.doc,
        { id: randomUUID(), type: fx.boxType, vector: { x1: i * 10, y1: 0, x2: i * 10 + 5, y2: 5 } },
        { userId: fx.member.id, now },
      ),
    );
    await saved(client);
    await h.collab.projection.settled(name);
    const stored = await h.db.query<{ unique_identifier: string; ms: string }>(
      `SELECT unique_identifier, (extract(epoch FROM time) * 1000)::text AS ms
       FROM annotations WHERE document = $1 ORDER BY x_min`,
      [name],
    );
    expect(stored.map((r) => [r.unique_identifier, Number(r.ms)])).toEqual(
      ids.map((id, i) => [id, times[i]]),
    );
  });

  it('[R1] server-side writes are in the projection when write() resolves, and a fresh load re-projects', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const id = randomUUID();
    await h.collab.write(
      name,
      (doc) => {
        createAnnotation(
          doc,
          { id, type: fx.boxType, vector: { x1: 1, y1: 2, x2: 3, y2: 4 }, description: 'by REST' },
          { userId: fx.admin.id },
        );
      },
      fx.admin.id,
    );
    expect(await rows(name)).toEqual([
      expect.objectContaining({ unique_identifier: id, description: 'by REST', user_id: fx.admin.id }),
    ]);
    // A projection that lost its rows is rebuilt when the document loads again.
    await h.db.query('DELETE FROM annotations WHERE document = $1', [name]);
    await h.restart();
    const reader = h.connect(name, { token: await tokenOf(h, fx.admin) });
    await saved(reader);
    await h.collab.projection.settled(name);
    expect(await rows(name)).toEqual([expect.objectContaining({ unique_identifier: id })]);
  });

  it('refreshes the planner statistics after a bulk write (autovacuum may be off or late)', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const analyzed = async () =>
      (
        await h.db.query<{ n: string }>(
          "SELECT analyze_count + autoanalyze_count AS n FROM pg_stat_user_tables WHERE relname = 'annotations'",
        )
      )[0]?.n ?? '0';
    const before = Number(await analyzed());
    await h.collab.write(
      name,
      (doc) => {
        for (let i = 0; i < 10_000; i++) {
          createAnnotation(
            doc,
            { id: randomUUID(), type: fx.boxType, vector: { x1: i, y1: 0, x2: i + 1, y2: 1 } },
            { userId: fx.member.id },
          );
        }
      },
      fx.member.id,
    );
    await expect.poll(async () => Number(await analyzed()), { timeout: 10_000 }).toBeGreaterThan(before);
  });
});
