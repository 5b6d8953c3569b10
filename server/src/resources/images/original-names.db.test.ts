import { describe, expect, it } from 'vitest';
import type { Image, ImageSet, Page } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = () => new ApiClient(server.baseUrl);

/** An image stored under a pseudonym, uploaded as `x-ray 7.png`. */
async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const set = await make().imageSet(team, admin);
  const image = await make().image(set, admin, 'x-ray 7.png');
  await server.db.query("UPDATE images SET name = '20240501-1011-abcd.png', filename = name WHERE id = $1", [
    image,
  ]);
  return { admin, member, set, image };
}

const ids = (res: { body: Page<Image> }) => res.body.results.map((i) => i.id);

describe('images/images/ by the name an image was uploaded under', () => {
  it('lets team admins find an image by its original name with name, name__contains, name__in and filename', async () => {
    const s = await scene();
    for (const query of [
      'name=x-ray%207.png',
      'name__contains=ray',
      'name__in=x-ray%207.png',
      'filename=x-ray%207.png',
    ]) {
      const res = await api().as(s.admin).get<Page<Image>>(`/images/images/?image_set=${s.set}&${query}`);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([s.image]);
    }
    const pseudonym = await api().as(s.admin).get<Page<Image>>(`/images/images/?name=20240501-1011-abcd.png`);
    expect(ids(pseudonym)).toEqual([s.image]);
  });

  it('keeps pseudonyms for members until a team admin lets the set show original names', async () => {
    const s = await scene();
    const byOriginal = `/images/images/?name=x-ray%207.png&image_set=${s.set}`;
    const hidden = await api().as(s.member).get<Page<Image>>(byOriginal);
    expect(ids(hidden)).toEqual([]);
    const seen = await api().as(s.member).get<Image>(`/images/images/${s.image}/`);
    expect(seen.body).not.toHaveProperty('original_filename');

    const refused = await api()
      .as(s.member)
      .patch(`/images/image_sets/${s.set}/`, { show_original_names: true });
    expect(refused.status).toBe(403);
    const bad = await api()
      .as(s.admin)
      .patch(`/images/image_sets/${s.set}/`, { show_original_names: 'maybe' });
    expect(bad.status).toBe(400);
    const shown = await api()
      .as(s.admin)
      .patch<ImageSet>(`/images/image_sets/${s.set}/`, { show_original_names: true });
    expect(shown.status).toBe(200);
    expect(shown.body.show_original_names).toBe(true);

    expect(ids(await api().as(s.member).get<Page<Image>>(byOriginal))).toEqual([s.image]);
    const named = await api().as(s.member).get<Image>(`/images/images/${s.image}/`);
    expect(named.body.original_filename).toBe('x-ray 7.png');
    expect(named.body).not.toHaveProperty('vendor_properties');
  });
});
