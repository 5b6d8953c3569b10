import { describe, expect, it } from 'vitest';
import type { TextExportFormat } from '@tessera/shared';
import { useTestServer } from '../../../test/support/server.js';
import { annotate, rect, triangle, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();

describe("EXACT's templated text exports", () => {
  it('team admins store templates; exports fill the placeholders, per image when aggregated', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const [a, b] = s.images as [number, number];
    await server.db.query('UPDATE images SET width = 1000, height = 500 WHERE image_set_id = $1', [s.set]);
    const [box] = await annotate(s.api(s.member), [
      { image: a, annotation_type: s.box, vector: rect(100, 50, 100, 100) },
      { image: b, annotation_type: s.polygon, vector: triangle(0, 0) },
    ]);
    const body = {
      name: 'lines',
      team: s.team,
      annotations_types: [s.box],
      base_format: '# %%team/%%imageset%%content# end',
      annotation_format:
        '%%imagename|%%type|%%vector|%%cx,%%cy|%%relwidth|%%first_editor|%%UUID%%ifblurred|B%%endif',
      vector_format: '%%x;%%y;',
    };
    expect((await s.api(s.member).post('/annotations/export_formats/', body)).status).toBe(403);
    const created = await s.api(s.admin).post<TextExportFormat>('/annotations/export_formats/', body);
    expect(created.status).toBe(201);
    const team = (
      await server.db.query<{ name: string }>('SELECT name FROM teams WHERE id = $1', [s.team])
    )[0]?.name;
    const set = (
      await server.db.query<{ name: string }>('SELECT name FROM image_sets WHERE id = $1', [s.set])
    )[0]?.name;
    const typeName = (
      await server.db.query<{ name: string }>('SELECT name FROM annotation_types WHERE id = $1', [s.box])
    )[0]?.name;
    const text = await s
      .api(s.member)
      .get<string>(`/images/image_sets/${s.set}/export/?format=exact&export_format=${created.body.id}`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-disposition')).toContain(`export_imageset_${s.set}.txt`);
    expect(text.body).toBe(
      `# ${team}/${set}\na.svs|${typeName}|100;50;200;150;|150,100|0.1|${s.member.username}|${box?.unique_identifier}\n# end`,
    );
    const aggregated = await s
      .api(s.admin)
      .patch<TextExportFormat>(`/annotations/export_formats/${created.body.id}/`, {
        image_aggregation: true,
        image_format: '[%%imagename %%annoamount]\n%%annotations',
        annotations_types: [],
        annotation_format: '%%type',
      });
    expect(aggregated.status).toBe(200);
    const perImage = await s
      .api(s.member)
      .get<string>(`/images/image_sets/${s.set}/export/?format=exact&export_format=${created.body.id}`);
    expect(perImage.body).toContain('[a.svs 1]\n');
    expect(perImage.body).toContain('[b.svs 1]\n');
    expect((await s.api(s.member).get(`/images/image_sets/${s.set}/export/?format=exact`)).status).toBe(400);
    expect((await s.api(s.outsider).get(`/annotations/export_formats/${created.body.id}/`)).status).toBe(404);
    expect(
      (await s.api(s.admin).post('/annotations/export_formats/', { ...body, annotations_types: [99999] }))
        .status,
    ).toBe(400);
  });
});
