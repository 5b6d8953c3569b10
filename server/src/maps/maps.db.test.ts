// Annotation maps against a real tiler: generation from a real upload's annotations, the mosaic's tiles,
// live cells after relabelling and deleting, staleness, regeneration, cluster placement and access.
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import type { AnnotationMap, AnnotationMapCell, Image, RestAnnotation } from '@tessera/shared';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { uploadImages } from '../../../test/support/upload.js';

const server = useTestServer({ tiler: true });
const make = () => new Factories(server.db);
const api = (u: TestUser) => new ApiClient(server.baseUrl, u);
const MAPS = '/annotations/annotation_maps/';

// Boxes in the red left half and the blue right half of a 1200x800 image, one at its top-left corner.
const RED_BOXES = [
  [100, 100],
  [300, 400],
  [0, 0],
];
const BLUE_BOXES = [
  [800, 100],
  [1000, 400],
  [900, 650],
];

async function scene(o: { public?: boolean } = {}) {
  const [admin, member, outsider] = [await make().user(), await make().user(), await make().user()];
  const team = await make().team({ admins: [admin], members: [member] });
  const set = await make().imageSet(team, admin, { public: o.public ?? false });
  const product = await make().product(team, admin, [set]);
  const cell = await make().annotationType(product, { vector_type: 1, color_code: '#00ff00' });
  const other = await make().annotationType(product, { vector_type: 1 });
  const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#dd2222' } })
    .composite([
      {
        input: { create: { width: 600, height: 800, channels: 3, background: '#2222dd' } },
        left: 600,
        top: 0,
      },
    ])
    .png()
    .toBuffer();
  const upload = await uploadImages(server.baseUrl, admin, set, [{ name: 'halves.png', bytes: png }]);
  const image = upload.body.results[0]?.id ?? 0;
  await vi.waitFor(
    async () => {
      const res = await api(admin).get<Image>(`/images/images/${image}/`);
      if (res.body.state !== 'ready') throw new Error('still processing');
    },
    { timeout: 60_000, interval: 100 },
  );
  const annotate = async (x: number, y: number, type = cell) => {
    const res = await api(member).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: type,
      image,
      vector: { x1: x, y1: y, x2: x + 60, y2: y + 60 },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const red = [];
  for (const [x, y] of RED_BOXES) red.push(await annotate(x ?? 0, y ?? 0));
  const blue = [];
  for (const [x, y] of BLUE_BOXES) blue.push(await annotate(x ?? 0, y ?? 0));
  await annotate(500, 500, other);
  return { admin, member, outsider, set, image, cell, other, red, blue, annotate };
}

async function ready(who: TestUser, id: number): Promise<AnnotationMap> {
  await server.services.maps.settled();
  const res = await api(who).get<AnnotationMap>(`${MAPS}${id}/`);
  expect(res.status).toBe(200);
  return res.body;
}

const cellsOf = async (who: TestUser, id: number) =>
  (await api(who).get<AnnotationMapCell[]>(`${MAPS}${id}/cells/`)).body;

describe('annotation maps', { timeout: 120_000 }, () => {
  it('makes a grid map of one type whose mosaic is served as DeepZoom to readers only', async () => {
    const s = await scene();
    const created = await api(s.member).post<AnnotationMap>(MAPS, {
      image_set: s.set,
      annotation_type: s.cell,
      cell_size: 64,
    });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('processing');
    const map = await ready(s.member, created.body.id);
    expect(map).toMatchObject({
      state: 'ready',
      annotation_count: 6,
      columns: 3,
      rows: 2,
      width: 192,
      height: 128,
    });
    expect(map.stale).toBe(false);
    const cookie = {
      authorization: `Basic ${Buffer.from(`${s.member.username}:${s.member.password}`).toString('base64')}`,
    };
    const dzi = await fetch(`${server.baseUrl}/images/annotation_map/${map.id}/tile/`, { headers: cookie });
    expect(dzi.status).toBe(200);
    expect(await dzi.text()).toContain('Width="192" Height="128"');
    const tile = await fetch(`${server.baseUrl}/images/annotation_map/${map.id}/tile_files/8/0_0.jpeg`, {
      headers: cookie,
    });
    expect(tile.headers.get('content-type')).toBe('image/jpeg');
    // Grid order is image then annotation order: the first three cells are the red crops.
    const cells = await cellsOf(s.member, map.id);
    expect(cells.map((c) => c.annotation)).toEqual([...s.red, ...s.blue].map((a) => a.id));
    expect(cells[0]).toMatchObject({ col: 0, row: 0, annotation_type: s.cell, deleted: false, moved: false });

    // An outsider sees nothing of it: map, cells, tiles, list.
    const outsider = api(s.outsider);
    expect((await outsider.get(`${MAPS}${map.id}/`)).status).toBe(404);
    expect((await outsider.get(`${MAPS}${map.id}/cells/`)).status).toBe(404);
    expect((await outsider.post(`${MAPS}${map.id}/regenerate/`)).status).toBe(404);
    expect((await outsider.delete(`${MAPS}${map.id}/`)).status).toBe(404);
    const basic = {
      authorization: `Basic ${Buffer.from(`${s.outsider.username}:${s.outsider.password}`).toString('base64')}`,
    };
    expect(
      (await fetch(`${server.baseUrl}/images/annotation_map/${map.id}/tile/`, { headers: basic })).status,
    ).toBe(404);
    expect((await outsider.get<{ count: number }>(`${MAPS}?image_set=${s.set}`)).body.count).toBe(0);
    expect((await outsider.post(MAPS, { image_set: s.set, annotation_type: s.cell })).status).toBe(400);
  });

  it('shows relabelled and deleted annotations live, and is stale only for new or moved ones', async () => {
    const s = await scene();
    const created = await api(s.member).post<AnnotationMap>(MAPS, {
      image: s.image,
      annotation_type: s.cell,
    });
    const map = await ready(s.member, created.body.id);
    const [first, second] = s.red;
    expect(
      (await api(s.member).patch(`/annotations/annotations/${first?.id}/`, { annotation_type: s.other }))
        .status,
    ).toBe(200);
    expect((await api(s.member).delete(`/annotations/annotations/${second?.id}/`)).status).toBe(204);
    const cells = await cellsOf(s.member, map.id);
    expect(cells.find((c) => c.annotation === first?.id)?.annotation_type).toBe(s.other);
    expect(cells.find((c) => c.annotation === second?.id)?.deleted).toBe(true);
    expect((await api(s.member).get<AnnotationMap>(`${MAPS}${map.id}/`)).body.stale).toBe(false);

    const added = await s.annotate(700, 700);
    expect((await api(s.member).get<AnnotationMap>(`${MAPS}${map.id}/`)).body.stale).toBe(true);
    const again = await api(s.member).post<AnnotationMap>(`${MAPS}${map.id}/regenerate/`);
    expect(again.status).toBe(202);
    const regenerated = await ready(s.member, map.id);
    expect(regenerated).toMatchObject({ state: 'ready', generation: 2, annotation_count: 5, stale: false });
    const ids = (await cellsOf(s.member, map.id)).map((c) => c.annotation);
    expect(ids).toContain(added.id);
    expect(ids).not.toContain(first?.id);
    expect(ids).not.toContain(second?.id);

    // A box moved after the crop was taken makes the map stale again, and its cell says so.
    const third = s.red[2];
    await api(s.member).patch(`/annotations/annotations/${third?.id}/`, {
      vector: { x1: 10, y1: 10, x2: 90, y2: 90 },
    });
    expect((await cellsOf(s.member, map.id)).find((c) => c.annotation === third?.id)?.moved).toBe(true);
    expect((await api(s.member).get<AnnotationMap>(`${MAPS}${map.id}/`)).body.stale).toBe(true);
  });

  it('places look-alike crops together on a cluster map, the same way for the same seed', async () => {
    const s = await scene();
    const make = () =>
      api(s.member).post<AnnotationMap>(MAPS, {
        image: s.image,
        annotation_type: s.cell,
        kind: 'cluster',
        seed: 3,
      });
    const [one, two] = [(await make()).body.id, (await make()).body.id];
    expect((await ready(s.member, one)).state).toBe('ready');
    const [a, b] = [await cellsOf(s.member, one), await cellsOf(s.member, two)];
    expect(a.map((c) => [c.annotation, c.col, c.row])).toEqual(b.map((c) => [c.annotation, c.col, c.row]));
    expect(new Set(a.map((c) => c.cell)).size).toBe(6);
    // The red crops and the blue crops lie on two sides of the grid: every cell is nearer its own
    // group's centre than the other group's.
    const red = new Set(s.red.map((r) => r.id));
    const centre = (cells: AnnotationMapCell[]) => [
      cells.reduce((sum, c) => sum + c.col, 0) / cells.length,
      cells.reduce((sum, c) => sum + c.row, 0) / cells.length,
    ];
    const reds = a.filter((c) => red.has(c.annotation));
    const blues = a.filter((c) => !red.has(c.annotation));
    const [r, bl] = [centre(reds), centre(blues)];
    const to = (c: AnnotationMapCell, p: number[]) => Math.hypot(c.col - (p[0] ?? 0), c.row - (p[1] ?? 0));
    for (const cell of reds) expect(to(cell, r)).toBeLessThan(to(cell, bl));
    for (const cell of blues) expect(to(cell, bl)).toBeLessThan(to(cell, r));
  });

  it('lets readers of a public set see maps but only team members make them', async () => {
    const s = await scene({ public: true });
    const made = await api(s.member).post<AnnotationMap>(MAPS, { image_set: s.set, annotation_type: s.cell });
    expect((await api(s.outsider).get(`${MAPS}${made.body.id}/`)).status).toBe(200);
    const refused = await api(s.outsider).post(MAPS, { image_set: s.set, annotation_type: s.cell });
    expect(refused.status).toBe(403);
    expect((await api(s.outsider).post(`${MAPS}${made.body.id}/regenerate/`)).status).toBe(403);
    expect((await api(s.outsider).delete(`${MAPS}${made.body.id}/`)).status).toBe(403);
    const foreignType = await make().annotationType(await make().product(await make().team(), s.admin));
    const wrong = await api(s.member).post(MAPS, { image_set: s.set, annotation_type: foreignType });
    expect(wrong.status).toBe(400);
    await server.services.maps.settled();
  });

  it('places crops by supplied feature vectors when every annotation has one', async () => {
    const s = await scene();
    // Against their colours: one red and two blue crops in one group, the rest in the other.
    const group = new Set([s.red[0]?.id, s.blue[0]?.id, s.blue[1]?.id]);
    const features = Object.fromEntries(
      [...s.red, ...s.blue].map((a, i) => [a.unique_identifier, [(group.has(a.id) ? 0 : 10) + i * 0.01, 1]]),
    );
    const made = await api(s.member).post<AnnotationMap>(MAPS, {
      image: s.image,
      annotation_type: s.cell,
      kind: 'cluster',
      features,
    });
    expect(made.status).toBe(201);
    expect((await ready(s.member, made.body.id)).state).toBe('ready');
    const cells = await cellsOf(s.member, made.body.id);
    const rowsOf = (inGroup: boolean) =>
      new Set(
        cells
          .filter((c) => group.has(c.annotation) === inGroup)
          .map((c) => `${c.col},${c.row}`.split(',')[1]),
      );
    // Each group fills one row of the 3x2 grid.
    expect(rowsOf(true).size).toBe(1);
    expect(rowsOf(false).size).toBe(1);
    expect([...rowsOf(true)]).not.toEqual([...rowsOf(false)]);
  });

  it('keeps maps of a blind set to team admins', async () => {
    const s = await scene();
    const blind = await api(s.admin).patch(`/images/image_sets/${s.set}/`, { collaboration_type: 1 });
    expect(blind.status).toBe(200);
    expect((await api(s.member).post(MAPS, { image_set: s.set, annotation_type: s.cell })).status).toBe(403);
    const made = await api(s.admin).post<AnnotationMap>(MAPS, { image_set: s.set, annotation_type: s.cell });
    expect(made.status).toBe(201);
    expect((await ready(s.admin, made.body.id)).annotation_count).toBe(6);
    expect((await api(s.member).get(`${MAPS}${made.body.id}/`)).status).toBe(404);
    expect((await api(s.member).get(`${MAPS}${made.body.id}/cells/`)).status).toBe(404);
  });

  it('generates again at start a map a stopped server left processing', async () => {
    const s = await scene();
    // What a server that stopped mid-generation leaves: a map row in `processing`, no mosaic, no cells.
    const id = await make().processingMap({
      set: s.set,
      type: s.cell,
      creator: s.member,
      image: s.image,
    });
    expect((await api(s.member).get<AnnotationMap>(`${MAPS}${id}/`)).body.state).toBe('processing');
    // No mosaic yet: its pixels answer 409 (not a tiler error), a malformed tile name 404, no login 401.
    const basic = {
      authorization: `Basic ${Buffer.from(`${s.member.username}:${s.member.password}`).toString('base64')}`,
    };
    const pixels = `${server.baseUrl}/images/annotation_map/${id}`;
    const early = await fetch(`${pixels}/tile/`, { headers: basic });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('still being generated');
    expect((await fetch(`${pixels}/tile_files/8/0_0.png`, { headers: basic })).status).toBe(404);
    expect((await fetch(`${pixels}/tile/`)).status).toBe(401);
    expect(await server.services.maps.resumeInterrupted()).toEqual([id]);
    const map = await ready(s.member, id);
    expect(map).toMatchObject({ state: 'ready', generation: 2, annotation_count: 6, failure_reason: null });
    // Nothing is left processing: a second start restarts nothing.
    expect(await server.services.maps.resumeInterrupted()).toEqual([]);
  });
});
