// A map's guided screening: each user's plan and position kept per map, seen and changed by its owner
// only, on maps the caller sees (P8; outsiders and blind-set members meet 404).
import { describe, expect, it } from 'vitest';
import type { AnnotationMapScreening } from '@tessera/shared';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = (u: TestUser) => new ApiClient(server.baseUrl, u);
const screeningOf = (map: number) => `/annotations/annotation_maps/${map}/screening/`;
const tile = (x: number, screened = false) => ({
  Screened: screened,
  x_min: x,
  y_min: 0,
  x_max: x + 100,
  y_max: 100,
});
const plan = (current: number, screened: number[]) => ({
  screening_tiles: Object.fromEntries([0, 85, 170].map((x, i) => [String(i), tile(x, screened.includes(i))])),
  x_steps: 3,
  y_steps: 1,
  x_resolution: 100,
  y_resolution: 100,
  current_index: current,
});

async function scene(o: { collaboration_type?: 0 | 1; public?: boolean } = {}) {
  const [admin, member, other, outsider] = [
    await make().user(),
    await make().user(),
    await make().user(),
    await make().user(),
  ];
  const team = await make().team({ admins: [admin], members: [member, other] });
  const set = await make().imageSet(team, admin, o);
  const type = await make().annotationType(await make().product(team, admin, [set]));
  // The map as a generation leaves it at its start: screening needs no mosaic on the server.
  const map = await make().processingMap({ set, type, creator: admin });
  return { admin, member, other, outsider, map };
}

describe('annotations/annotation_maps/<id>/screening/', () => {
  it('keeps each user’s plan and position on a map, replaced by the next PUT', async () => {
    const s = await scene();
    expect((await api(s.member).get(screeningOf(s.map))).status).toBe(204);
    const started = await api(s.member).put<AnnotationMapScreening>(screeningOf(s.map), plan(0, [0]));
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      annotation_map: s.map,
      user: s.member.id,
      x_steps: 3,
      current_index: 0,
    });
    expect((await api(s.member).put(screeningOf(s.map), plan(2, [0, 1, 2]))).status).toBe(200);
    const read = await api(s.member).get<AnnotationMapScreening>(screeningOf(s.map));
    expect(read.body).toEqual({ ...plan(2, [0, 1, 2]), annotation_map: s.map, user: s.member.id });
  });

  it('never shows one user’s position to another, team admins and superusers included', async () => {
    const s = await scene();
    const superuser = await make().user({ superuser: true });
    await api(s.member).put(screeningOf(s.map), plan(1, [0, 1]));
    for (const reader of [s.other, s.admin, superuser]) {
      expect((await api(reader).get(screeningOf(s.map))).status).toBe(204);
    }
    // Another's PUT makes their own row and leaves the member's as it was.
    expect((await api(s.other).put(screeningOf(s.map), plan(2, [2]))).status).toBe(200);
    const mine = await api(s.member).get<AnnotationMapScreening>(screeningOf(s.map));
    expect(mine.body).toMatchObject({ user: s.member.id, current_index: 1 });
  });

  it('answers 404 to whoever does not see the map, 400 to a plan that does not hold together', async () => {
    const s = await scene();
    expect((await api(s.outsider).get(screeningOf(s.map))).status).toBe(404);
    expect((await api(s.outsider).put(screeningOf(s.map), plan(0, [0]))).status).toBe(404);
    expect((await api(s.member).get(screeningOf(999_999))).status).toBe(404);
    expect((await api(s.member).put(screeningOf(s.map), { ...plan(0, [0]), x_steps: 2 })).status).toBe(400);
    expect((await api(s.member).put(screeningOf(s.map), plan(7, [0]))).status).toBe(400);
    // A PUT is the whole plan: a bare move is refused.
    expect((await api(s.member).put(screeningOf(s.map), { current_index: 1 })).status).toBe(400);
    const blind = await scene({ collaboration_type: 1 });
    expect((await api(blind.member).get(screeningOf(blind.map))).status).toBe(404);
    expect((await api(blind.admin).get(screeningOf(blind.map))).status).toBe(204);
  });

  it('lets a reader of a public set of another team screen its maps', async () => {
    const s = await scene({ public: true });
    expect((await api(s.outsider).put(screeningOf(s.map), plan(1, [0, 1]))).status).toBe(200);
    expect((await api(s.outsider).get<AnnotationMapScreening>(screeningOf(s.map))).body.current_index).toBe(
      1,
    );
  });
});
