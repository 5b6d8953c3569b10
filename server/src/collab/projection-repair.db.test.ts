import { randomUUID } from 'node:crypto';
import { createAnnotation, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { makeFixture, saved, tokenOf, useCollabServer } from '../../../test/support/collab-server.js';
import { rebuildProjection } from './projection-rebuild.js';

const h = useCollabServer();

interface Row {
  unique_identifier: string;
  description: string;
  meta_data: unknown;
}

const rows = (document: string) =>
  h.db.query<Row>(
    'SELECT unique_identifier, description, meta_data FROM annotations WHERE document = $1 ORDER BY x_min',
    [document],
  );

/**
 * A document as one written before the validator refused unstorable text: server-side writes skip
 * the validator, so they can still put such values (and a date PostgreSQL cannot hold) into it.
 */
async function damagedDocument() {
  const fx = await makeFixture(h);
  const name = `image.${fx.image}`;
  const ids = { good: randomUUID(), nul: randomUUID(), surrogate: randomUUID(), late: randomUUID() };
  const box = (x: number) => ({ x1: x, y1: 1, x2: x + 5, y2: 6 });
  await h.collab.write(
    name,
    (doc) => {
      const by = { userId: fx.admin.id };
      createAnnotation(doc, { id: ids.good, type: fx.boxType, vector: box(1), description: 'fine' }, by);
      createAnnotation(doc, { id: ids.nul, type: fx.boxType, vector: box(2), description: 'a\u0000b' }, by);
      updateFields(doc, ids.nul, { meta: { ['k\u0000']: ['v\u0000'] } }, by);
      createAnnotation(
        doc,
        { id: ids.surrogate, type: fx.boxType, vector: box(3), description: 'x\uD800' },
        by,
      );
      // A creation time far past what timestamptz holds: refused by PostgreSQL whatever its text.
      createAnnotation(doc, { id: ids.late, type: fx.boxType, vector: box(4) }, { ...by, now: 1e20 });
    },
    fx.admin.id,
  );
  return { fx, name, ids };
}

describe('a projection that meets values PostgreSQL refuses', () => {
  it('[R1] repairs unstorable text and leaves out what is refused alone, on every load, without failing the slice', async () => {
    const { fx, name, ids } = await damagedDocument();
    // The rows are lost (as after a crash between log and projection); the next load projects anew.
    await h.db.query('DELETE FROM annotations WHERE document = $1', [name]);
    await h.restart();
    const client = h.connect(name, { token: await tokenOf(h, fx.member) });
    await saved(client);
    await expect.poll(async () => (await rows(name)).length).toBe(3);
    expect(await rows(name)).toEqual([
      { unique_identifier: ids.good, description: 'fine', meta_data: null },
      { unique_identifier: ids.nul, description: 'a\uFFFDb', meta_data: { 'k\uFFFD': ['v\uFFFD'] } },
      { unique_identifier: ids.surrogate, description: 'x\uFFFD', meta_data: null },
    ]);
    expect(h.collab.projection.damage).toEqual({ repaired: 2, quarantined: 1, failedFlushes: 0 });
  });

  it('rebuilds such a document too, and counts what it repaired and left out', async () => {
    const { name } = await damagedDocument();
    await h.db.query('DELETE FROM annotations WHERE document = $1', [name]);
    const result = await rebuildProjection(h.db, [name]);
    expect(result).toEqual({ documents: 1, annotations: 4, repaired: 2, quarantined: 1 });
    expect(await rows(name)).toHaveLength(3);
  });
});
