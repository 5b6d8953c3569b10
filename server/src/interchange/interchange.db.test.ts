import { describe, expect, it } from 'vitest';
import type { ImportReport, Page, RestAnnotation, SetVersion } from '@tessera/shared';
import type { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { annotate, rect, triangle, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();

/** Two sets of two teams with images of the same names and types of the same names. */
async function twoSets() {
  const names: [string, string] = [`box-${Date.now()}`, `poly-${Date.now()}`];
  const source = await versionScene(server, { images: ['a.svs', 'b.svs'], typeNames: names });
  const target = await versionScene(server, { images: ['a.svs', 'b.svs'] });
  // The target's types must carry the same names as the source's for labels to match.
  await server.db.query('UPDATE annotation_types SET name = $2 WHERE id = $1', [
    target.box,
    (await typeName(source.box)) ?? '',
  ]);
  await server.db.query('UPDATE annotation_types SET name = $2 WHERE id = $1', [
    target.polygon,
    (await typeName(source.polygon)) ?? '',
  ]);
  return { source, target };
}

async function typeName(id: number): Promise<string | undefined> {
  const rows = await server.db.query<{ name: string }>('SELECT name FROM annotation_types WHERE id = $1', [
    id,
  ]);
  return rows[0]?.name;
}

async function importFile(
  api: ApiClient,
  set: number,
  query: string,
  body: string,
  type = 'application/json',
) {
  return api.request<ImportReport & { detail?: string }>(
    'POST',
    `/images/image_sets/${set}/import/?${query}`,
    undefined,
    {
      rawBody: body,
      headers: { 'content-type': type },
    },
  );
}

/** The live annotations of a set as uuid -> [image name, type name, vector, deleted]. */
async function liveOf(api: ApiClient, set: number) {
  const res = await api.get<Page<RestAnnotation>>(
    `/annotations/annotations/?image__image_set=${set}&limit=1000`,
  );
  const out: Record<string, [string, string, unknown, boolean]> = {};
  for (const a of res.body.results) {
    const image = await server.db.query<{ name: string }>('SELECT name FROM images WHERE id = $1', [a.image]);
    out[a.unique_identifier] = [
      image[0]?.name ?? '',
      (await typeName(a.annotation_type)) ?? '',
      a.vector,
      a.deleted,
    ];
  }
  return out;
}

describe('exports and imports', () => {
  for (const format of ['coco', 'geojson'] as const) {
    it(`a ${format} export imports back with the same geometry and labels`, async () => {
      const { source, target } = await twoSets();
      await annotate(source.api(source.member), [
        { image: source.images[0] as number, annotation_type: source.box, vector: rect(10.5, 20, 30, 40) },
        { image: source.images[1] as number, annotation_type: source.polygon, vector: triangle(100, 200) },
        { image: source.images[1] as number, annotation_type: source.box, vector: rect(0, 0, 1, 1) },
      ]);
      const version = await source.api(source.member).post<SetVersion>('/images/set_versions/', {
        name: 'x',
        imagesets: [source.set],
      });
      const exported = await source
        .api(source.member)
        .get(`/images/set_versions/${version.body.id}/export/?format=${format}`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toContain(`version_${version.body.id}`);
      const text = JSON.stringify(exported.body);
      const report = await importFile(target.api(target.member), target.set, `format=${format}`, text);
      expect(report.status, JSON.stringify(report.body)).toBe(200);
      expect(report.body).toMatchObject({ imported: 3, updated: 0, skipped: [] });
      expect(await liveOf(target.api(target.member), target.set)).toEqual(
        await liveOf(source.api(source.member), source.set),
      );
      // Importing again updates the same annotations (same unique identifiers) instead of doubling them.
      const again = await importFile(
        target.api(target.member),
        target.set,
        `format=${format}&generated=true`,
        text,
      );
      expect(again.body).toMatchObject({ imported: 0, updated: 3 });
    });
  }

  it('malformed files are refused whole, naming the line or feature', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const types = await typeName(s.box);
    const coco = {
      images: [{ id: 1, file_name: 'a.svs', width: 10, height: 10 }],
      categories: [{ id: 1, name: types }],
      annotations: [
        { image_id: 1, category_id: 1, bbox: [1, 2, 3, 4] },
        { image_id: 1, category_id: 1, bbox: [1, 2, 'wide', 4] },
      ],
    };
    const badCoco = await importFile(api, s.set, 'format=coco', JSON.stringify(coco));
    expect(badCoco.status).toBe(400);
    expect(badCoco.body.detail).toContain('annotations[1].bbox[2]');
    const geo = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [1, 2] },
          properties: { classification: { name: types } },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 1],
              ],
            ],
          },
          properties: {},
        },
      ],
    };
    const badGeo = await importFile(api, s.set, 'format=geojson', JSON.stringify(geo));
    expect(badGeo.status).toBe(400);
    expect(badGeo.body.detail).toContain('feature 1');
    const lines = `a.svs|${types}|{"x1": 1, "y1": 1, "x2": 5, "y2": 5}||\n\na.svs|${types}|{"x1": 1, "y1": oops}|\n`;
    const badLines = await importFile(api, s.set, 'format=exact', lines, 'text/plain');
    expect(badLines.status).toBe(400);
    expect(badLines.body.detail).toContain('line 3');
    const notJson = await importFile(api, s.set, 'format=coco', '{"images": [', 'application/octet-stream');
    expect(notJson.status).toBe(400);
    expect(await liveOf(api, s.set)).toEqual({});
  });

  it('label lines import as proposals; unknown images and types are skipped with the reason', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const box = await typeName(s.box);
    const uuid = '6f1b7f0e-4a47-4a2e-9a4e-5f7f6c1d2e3a';
    const lines = [
      `a.svs|${box}|{"x1": 1, "y1": 1, "x2": 5, "y2": 5}|generated|${uuid}`,
      `missing.svs|${box}|{"x1": 1, "y1": 1, "x2": 5, "y2": 5}||`,
      `a.svs|no such type|{"x1": 1, "y1": 1, "x2": 5, "y2": 5}||`,
      `a.svs|${box}|{"x1": 1, "y1": 1, "x2": 5, "y2": 5, "x3": 9, "y3": 9}|deleted|`,
    ].join('\n');
    const res = await importFile(api, s.set, 'format=exact', lines, 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.skipped).toEqual([
      { item: 'line 2', reason: 'image "missing.svs" is not in this image set' },
      { item: 'line 3', reason: 'annotation type "no such type" is not used in this image set' },
    ]);
    const live = await api.get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.images[0]}`);
    const proposal = live.body.results.find((a) => a.unique_identifier === uuid);
    expect(proposal).toMatchObject({
      generated: true,
      vector: { x1: 1, y1: 1, x2: 5, y2: 5 },
      deleted: false,
    });
    expect(live.body.results.filter((a) => a.deleted)).toHaveLength(1);
    expect((await importFile(s.api(s.outsider), s.set, 'format=exact', lines, 'text/plain')).status).toBe(
      404,
    );
    expect((await importFile(api, s.set, 'format=pdf', lines, 'text/plain')).status).toBe(400);
  });

  it('exports now with filters, streamed as CSV and GeoJSON, and only to those who may see the set', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const [kept, , removed] = await annotate(api, [
      {
        image: s.images[0] as number,
        annotation_type: s.box,
        vector: rect(0, 0),
        description: '=HYPERLINK("https://example.org","open me")',
      },
      { image: s.images[0] as number, annotation_type: s.polygon, vector: triangle(0, 0) },
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(5, 5) },
    ]);
    await api.delete(`/annotations/annotations/${removed?.id}/`);
    await api.post('/annotations/verifications/', { annotation: kept?.id, verified: true });
    const csv = await api.get<string>(`/images/image_sets/${s.set}/export/?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body.trim().split('\r\n')).toHaveLength(3);
    // A description that would run as a formula in a spreadsheet is written as text.
    expect(csv.body).toContain(`"'=HYPERLINK(""https://example.org"",""open me"")"`);
    const withDeleted = await api.get<string>(
      `/images/image_sets/${s.set}/export/?format=csv&include_deleted=true`,
    );
    expect(withDeleted.body.trim().split('\r\n')).toHaveLength(4);
    const boxes = await api.get<{ features: { id: string }[] }>(
      `/images/image_sets/${s.set}/export/?format=geojson&annotation_type=${s.box}&include_deleted=true`,
    );
    expect(boxes.body.features.map((f) => f.id).sort()).toEqual(
      [kept?.unique_identifier, removed?.unique_identifier].sort(),
    );
    const verified = await api.get<{ annotations: { tessera: { unique_identifier: string } }[] }>(
      `/images/image_sets/${s.set}/export/?format=coco&verified_only=true`,
    );
    expect(verified.body.annotations.map((a) => a.tessera.unique_identifier)).toEqual([
      kept?.unique_identifier,
    ]);
    expect((await api.get(`/images/image_sets/${s.set}/export/?format=xml`)).status).toBe(400);
    expect((await api.get(`/images/image_sets/${s.set}/export/?min_verifications=-1`)).status).toBe(400);
    expect((await s.api(s.outsider).get(`/images/image_sets/${s.set}/export/`)).status).toBe(404);
    expect((await api.as(undefined).get(`/images/image_sets/${s.set}/export/`)).status).toBe(401);
  });
});

describe('a COCO export the client leaves halfway', () => {
  it('costs no connection: more exports abandoned than the pool holds, and the next is whole', async () => {
    const s = await versionScene(server);
    const image = s.images[0] ?? 0;
    // Rows straight into the projection, which exports read: 100,000 boxes make a stream of ~28 MB.
    await server.db.query(
      `INSERT INTO annotations (unique_identifier, document, image_id, image_set_id, annotation_type_id, vector,
         time, last_edit_time)
       SELECT gen_random_uuid(), 'image.' || $1::int, $1::int, $2::int, $3::int,
         jsonb_build_object('x1', n, 'y1', n, 'x2', n + 10, 'y2', n + 10), now(), now()
       FROM generate_series(1, 100000) n`,
      [image, s.set, s.box],
    );
    const url = `${server.baseUrl}/api/v1/images/image_sets/${s.set}/export/?format=coco`;
    const authorization = `Basic ${Buffer.from(`${s.member.username}:${s.member.password}`).toString('base64')}`;
    for (let i = 0; i < 12; i++) {
      const abort = new AbortController();
      const res = await fetch(url, { headers: { authorization }, signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      await reader?.read();
      abort.abort();
    }
    const whole = await fetch(url, { headers: { authorization } });
    const coco = (await whole.json()) as { annotations: unknown[] };
    expect(coco.annotations).toHaveLength(100_000);
  }, 60_000);
});
