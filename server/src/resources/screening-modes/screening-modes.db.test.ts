import { describe, expect, it } from 'vitest';
import type { Page, ScreeningMode } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = () => new ApiClient(server.baseUrl);
const PATH = '/images/screening_modes/';
const tile = (x: number) => ({ Screened: false, x_min: x, y_min: 0, x_max: x + 100, y_max: 100 });

const scene = () => make().teamImage();

describe('images/screening_modes/', () => {
  it('keeps a user’s screening state; moving current_index marks that tile screened', async () => {
    const s = await scene();
    const created = await api()
      .as(s.member)
      .post<ScreeningMode>(PATH, {
        image: s.image,
        screening_tiles: { 0: tile(0), 1: tile(100) },
        x_steps: 2,
        y_steps: 1,
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ image: s.image, user: s.member.id, x_steps: 2, current_index: 0 });
    const moved = await api()
      .as(s.member)
      .patch<ScreeningMode>(`${PATH}${created.body.id}/`, { current_index: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body.current_index).toBe(1);
    expect(moved.body.screening_tiles).toEqual({ 0: tile(0), 1: { ...tile(100), Screened: true } });
    const again = await api().as(s.member).post<{ image: string[] }>(PATH, { image: s.image });
    expect(again.status).toBe(400);
    expect(again.body.image[0]).toMatch(/already/);
  });

  it('lets team admins read all, members only their own; only the owner writes', async () => {
    const s = await scene();
    const mine = await api().as(s.member).post<ScreeningMode>(PATH, { image: s.image });
    await api().as(s.other).post(PATH, { image: s.image });
    const own = await api().as(s.member).get<Page<ScreeningMode>>(`${PATH}?image=${s.image}`);
    expect(own.body.results.map((m) => m.user)).toEqual([s.member.id]);
    const all = await api().as(s.admin).get<Page<ScreeningMode>>(`${PATH}?image=${s.image}`);
    expect(all.body.count).toBe(2);
    const item = `${PATH}${mine.body.id}/`;
    expect((await api().as(s.admin).patch(item, { current_index: 1 })).status).toBe(403);
    expect((await api().as(s.other).patch(item, { current_index: 1 })).status).toBe(404);
    expect((await api().as(s.outsider).get(item)).status).toBe(404);
    expect((await api().as(s.admin).delete(item)).status).toBe(403);
    expect((await api().as(s.member).delete(item)).status).toBe(204);
  });

  it('answers 401, 400 for unseen images and bad values, 403 for another user', async () => {
    const s = await scene();
    expect((await api().post(PATH, { image: s.image })).status).toBe(401);
    const unseen = await api().as(s.outsider).post(PATH, { image: s.image });
    expect(unseen.status).toBe(400);
    const bad = await api()
      .as(s.member)
      .post<Record<string, string[]>>(PATH, { image: s.image, x_steps: -1, screening_tiles: { a: tile(0) } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(expect.arrayContaining(['x_steps']));
    expect((await api().as(s.member).post(PATH, { image: s.image, user: s.other.id })).status).toBe(403);
  });

  it('keeps a state with its image and its owner when changed', async () => {
    const s = await scene();
    const mine = await api().as(s.member).post<ScreeningMode>(PATH, { image: s.image });
    const item = `${PATH}${mine.body.id}/`;
    const moved = await api()
      .as(s.member)
      .patch<{ image: string[] }>(item, { image: s.image + 1 });
    expect(moved.status).toBe(400);
    expect(moved.body.image[0]).toMatch(/stays with its image/);
    expect((await api().as(s.member).patch(item, { user: s.other.id })).status).toBe(403);
    expect((await api().as(s.member).patch(item, { image: s.image, user: s.member.id })).status).toBe(200);
    const kept = await api().as(s.member).get<ScreeningMode>(item);
    expect(kept.body).toMatchObject({ image: s.image, user: s.member.id });
  });
});
