import { randomUUID } from 'node:crypto';
import { createAnnotation } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { makeFixture, useCollabServer } from '../../../test/support/collab-server.js';
import { rebuildProjection } from './projection-rebuild.js';

const h = useCollabServer();

describe('rebuilding the projection', () => {
  it('[R1] rewrites lost and stale rows from the documents in the database', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const kept = randomUUID();
    await h.collab.write(
      name,
      (doc) => {
        createAnnotation(
          doc,
          { id: kept, type: fx.boxType, vector: { x1: 1, y1: 1, x2: 5, y2: 5 } },
          { userId: fx.admin.id },
        );
      },
      fx.admin.id,
    );
    // The projection loses the real row and gains one no document holds.
    await h.db.query('DELETE FROM annotations WHERE document = $1', [name]);
    await h.db.query(
      `INSERT INTO annotations (unique_identifier, document, image_id, image_set_id, annotation_type_id, time, last_edit_time)
       VALUES ($1, $2, $3, $4, $5, now(), now())`,
      [randomUUID(), name, fx.image, fx.imageSet, fx.boxType],
    );
    const result = await rebuildProjection(h.db, [name]);
    expect(result).toEqual({ documents: 1, annotations: 1, repaired: 0, quarantined: 0 });
    const rows = await h.db.query<{ unique_identifier: string; x_max: number }>(
      'SELECT unique_identifier, x_max FROM annotations WHERE document = $1',
      [name],
    );
    expect(rows).toEqual([{ unique_identifier: kept, x_max: 5 }]);
  });
});
