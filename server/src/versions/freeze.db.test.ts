import { describe, expect, it } from 'vitest';
import type { SetVersion } from '@tessera/shared';
import { useTestServer } from '../../../test/support/server.js';
import { rowsOfVersion, VersionsRepo } from './versions.repo.js';
import { annotate, rect, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();

/** Frozen rows of a version per image. */
async function rowsPerImage(version: number): Promise<Record<number, number>> {
  const rows = await server.db.query<{ image_id: number; n: number }>(
    `SELECT r.image_id, count(*)::int AS n FROM ${rowsOfVersion('$1')} GROUP BY r.image_id`,
    [version],
  );
  return Object.fromEntries(rows.map((r) => [r.image_id, r.n]));
}

describe('freezing a version in parts', () => {
  it('a first version split between two connections holds every row, each once', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs', 'c.svs'] });
    const api = s.api(s.member);
    await annotate(
      api,
      s.images.flatMap((image, n) =>
        Array.from({ length: n + 2 }, (_, i) => ({ image, annotation_type: s.box, vector: rect(i, i) })),
      ),
    );
    const res = await api.post<SetVersion>('/images/set_versions/', { name: 'v1', imagesets: [s.set] });
    expect(res.status).toBe(201);
    const [a, b, c] = s.images as [number, number, number];
    expect(await rowsPerImage(res.body.id)).toEqual({ [a]: 2, [b]: 3, [c]: 4 });
    // The helper's part was marked; the version exists, so the mark is only forgotten next time.
    const marks = await server.db.query('SELECT 1 FROM version_freeze_parts WHERE version_id = $1', [
      res.body.id,
    ]);
    expect(marks).toHaveLength(1);
  });

  it("a part whose version never committed is undone before the next creation; a version's part stays", async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const api = s.api(s.member);
    await annotate(
      api,
      s.images.map((image) => ({ image, annotation_type: s.box, vector: rect(1, 1) })),
    );
    const v1 = (await api.post<SetVersion>('/images/set_versions/', { name: 'v1', imagesets: [s.set] })).body;
    // What creations that failed after their helper committed leave: a mark, rows valid from a
    // version number that never committed (here a duplicate of every open row of the set, as a
    // first version's part), and rows closed at that number (as a later version's part).
    const ids = await server.db.query<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('set_versions', 'id'))::int AS id`,
    );
    const failed = ids[0]?.id ?? 0;
    await server.db.query('INSERT INTO version_freeze_parts (version_id) VALUES ($1)', [failed]);
    await server.db.query(
      `INSERT INTO version_annotations (document, image_id, unique_identifier, annotation_type_id, vector, deleted,
         description, time, last_edit_time, generated, valid_from)
       SELECT document, image_id, unique_identifier, annotation_type_id, vector, deleted, description, time,
         last_edit_time, generated, $1
       FROM version_annotations WHERE valid_from = $2`,
      [failed, v1.id],
    );
    await server.db.query(
      `UPDATE version_annotations SET valid_to = $1
       WHERE id = (SELECT min(id) FROM version_annotations WHERE valid_from = $2)`,
      [failed, v1.id],
    );
    await annotate(api, [{ image: s.images[0] ?? 0, annotation_type: s.box, vector: rect(5, 5) }]);
    const v2 = (await api.post<SetVersion>('/images/set_versions/', { name: 'v2', imagesets: [s.set] })).body;
    const [a, b] = s.images as [number, number];
    expect(await rowsPerImage(v2.id)).toEqual({ [a]: 2, [b]: 1 });
    expect(await rowsPerImage(v1.id)).toEqual({ [a]: 1, [b]: 1 });
    // Only the new annotation was stored again: the closed row was reopened, not frozen anew.
    expect((await new VersionsRepo(server.db).addedBytes(v2.id)).rowCount).toBe(1);
    const left = await server.db.query(
      'SELECT 1 FROM version_annotations WHERE valid_from = $1 OR valid_to = $1',
      [failed],
    );
    expect(left).toHaveLength(0);
    // The failed part's mark is gone; v2's own helper part is marked, to be forgotten next time.
    expect(await server.db.query('SELECT version_id FROM version_freeze_parts')).toEqual([
      { version_id: v2.id },
    ]);
  });

  it('a later version split between two connections closes and adds exactly what changed', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs', 'c.svs'] });
    const api = s.api(s.member);
    const made = await annotate(
      api,
      s.images.map((image) => ({ image, annotation_type: s.box, vector: rect(1, 1) })),
    );
    const v1 = (await api.post<SetVersion>('/images/set_versions/', { name: 'v1', imagesets: [s.set] })).body;
    // One change in every document, so both halves close a row and add one.
    for (const a of made) await api.patch(`/annotations/annotations/${a.id}/`, { description: 'changed' });
    const v2 = (await api.post<SetVersion>('/images/set_versions/', { name: 'v2', imagesets: [s.set] })).body;
    expect((await new VersionsRepo(server.db).addedBytes(v2.id)).rowCount).toBe(3);
    const closed = await server.db.query('SELECT 1 FROM version_annotations WHERE valid_to = $1', [v2.id]);
    expect(closed).toHaveLength(3);
    const diff = await api.get<{ totals: { changed: number } }>(
      `/images/set_versions/${v1.id}/diff/?to=${v2.id}`,
    );
    expect(diff.body.totals.changed).toBe(3);
  });
});
