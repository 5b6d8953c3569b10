import { describe, expect, it } from 'vitest';
import type { ImageActionLog, Page } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = () => new ApiClient(server.baseUrl);
const PATH = '/annotations/log_image_actions/';

const scene = () => make().teamImage();

describe('annotations/log_image_actions/', () => {
  it('records opening and closing with time and address, listable and filterable', async () => {
    const s = await scene();
    const opened = await api().as(s.member).post<ImageActionLog>(PATH, { image: s.image, action: 1 });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ image: s.image, user: s.member.id, action: 1, ip: '127.0.0.1' });
    const closed = await api()
      .as(s.member)
      .post<ImageActionLog>(PATH, { image: s.image, action: 2, time: '2030-01-01T10:00:00' });
    expect(closed.body.time).toBe('2030-01-01T10:00:00.000000');
    const closes = await api().as(s.member).get<Page<ImageActionLog>>(`${PATH}?image=${s.image}&action=2`);
    expect(closes.body.results.map((l) => l.id)).toEqual([closed.body.id]);
    const later = await api().as(s.member).get<Page<ImageActionLog>>(`${PATH}?time__gte=2029-01-01T00:00:00`);
    expect(later.body.results.map((l) => l.id)).toEqual([closed.body.id]);
  });

  it('shows users their own rows and team admins all of the team’s', async () => {
    const s = await scene();
    await api().as(s.member).post(PATH, { image: s.image, action: 1 });
    await api().as(s.other).post(PATH, { image: s.image, action: 1 });
    const own = await api().as(s.member).get<Page<ImageActionLog>>(`${PATH}?image=${s.image}`);
    expect(own.body.results.map((l) => l.user)).toEqual([s.member.id]);
    const all = await api().as(s.admin).get<Page<ImageActionLog>>(`${PATH}?image=${s.image}`);
    expect(all.body.results.map((l) => l.user)).toEqual([s.member.id, s.other.id]);
    const byUser = await api()
      .as(s.admin)
      .get<Page<ImageActionLog>>(`${PATH}?image=${s.image}&user=${s.other.id}`);
    expect(byUser.body.count).toBe(1);
    const outsider = await api().as(s.outsider).get<Page<ImageActionLog>>(`${PATH}?image=${s.image}`);
    expect(outsider.body.count).toBe(0);
    expect((await api().as(s.outsider).get(`${PATH}${all.body.results[0]?.id}/`)).status).toBe(404);
  });

  it('answers 401, 403 for another user’s row, 400 for unseen images and bad actions', async () => {
    const s = await scene();
    expect((await api().post(PATH, { image: s.image, action: 1 })).status).toBe(401);
    expect((await api().get(PATH)).status).toBe(401);
    const asOther = await api().as(s.admin).post(PATH, { image: s.image, action: 1, user: s.member.id });
    expect(asOther.status).toBe(403);
    const unseen = await api().as(s.outsider).post<{ image: string[] }>(PATH, { image: s.image, action: 1 });
    expect(unseen.status).toBe(400);
    expect(unseen.body.image[0]).toMatch(/does not exist/);
    const bad = await api().as(s.member).post<Record<string, string[]>>(PATH, { image: s.image, action: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body).toHaveProperty('action');
  });
});
