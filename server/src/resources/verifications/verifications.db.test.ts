import { describe, expect, it } from 'vitest';
import {
  readVerifications,
  setVerification,
  type Page,
  type RestAnnotation,
  type RestVerification,
} from '@tessera/shared';
import { openLiveDocument } from '../../../../test/support/collab-client.js';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';
import { rebuildProjection } from '../../collab/projection-rebuild.js';

const server = useTestServer();
const make = () => new Factories(server.db);

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const other = await make().user();
  const outsider = await make().user();
  const reader = await make().user();
  const team = await make().team({ admins: [admin], members: [member, other] });
  const set = await make().imageSet(team, admin, { public: true });
  const product = await make().product(team, admin, [set]);
  const box = await make().annotationType(product, { vector_type: 1 });
  const image = await make().image(set, admin);
  const api = (u: { username: string; password: string }) => new ApiClient(server.baseUrl, u);
  const annotation = await api(member).post<RestAnnotation>('/annotations/annotations/', {
    annotation_type: box,
    image,
    vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
  });
  return { admin, member, other, outsider, reader, image, api, annotation: annotation.body };
}

describe('annotations/verifications/ through the live document', () => {
  it('verifies as the caller, shows it to an open client at once, replaces the verdict on a second POST', async () => {
    const s = await scene();
    const token = await s.api(s.other).post<{ token: string }>('/users/tokens/', { name: 'live' });
    const live = await openLiveDocument(server.baseUrl, `image.${s.image}`, token.body.token);
    const first = await s.api(s.member).post<RestVerification>('/annotations/verifications/', {
      annotation: s.annotation.id,
      verified: true,
      time: '2024-05-01T10:00:00Z',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      annotation: s.annotation.id,
      user: s.member.id,
      verified: true,
      time: '2024-05-01T10:00:00.000000',
    });
    expect(readVerifications(live.doc, s.annotation.unique_identifier)).toEqual([
      {
        annotation: s.annotation.unique_identifier,
        user: s.member.id,
        verified: true,
        at: Date.parse('2024-05-01T10:00:00Z'),
      },
    ]);
    const second = await s.api(s.member).post<RestVerification>('/annotations/verifications/', {
      annotation: s.annotation.id,
      verified: false,
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, verified: false });
    live.close();
  });

  it('lists with EXACT filters, and annotations filter by verified_by', async () => {
    const s = await scene();
    await s
      .api(s.member)
      .post('/annotations/verifications/', { annotation: s.annotation.id, verified: true });
    await s
      .api(s.other)
      .post('/annotations/verifications/', { annotation: s.annotation.id, verified: false });
    const all = await s
      .api(s.admin)
      .get<Page<RestVerification>>(`/annotations/verifications/?annotation=${s.annotation.id}`);
    expect(all.body.count).toBe(2);
    const verified = await s
      .api(s.admin)
      .get<Page<RestVerification>>(`/annotations/verifications/?annotation=${s.annotation.id}&verified=true`);
    expect(verified.body.results.map((v) => v.user)).toEqual([s.member.id]);
    const byOther = await s
      .api(s.admin)
      .get<Page<RestAnnotation>>(`/annotations/annotations/?verified_by=${s.other.id}`);
    expect(byOther.body.count).toBe(0);
    const byMember = await s
      .api(s.admin)
      .get<Page<RestAnnotation>>(`/annotations/annotations/?verified_by=${s.member.id}`);
    expect(byMember.body.results.map((a) => a.id)).toEqual([s.annotation.id]);
    const bad = await s.api(s.admin).get('/annotations/verifications/?verified=perhaps');
    expect(bad.status).toBe(400);
  });

  it('refuses verifying for someone else, changing their verdict, readers and outsiders', async () => {
    const s = await scene();
    const forOther = await s.api(s.member).post('/annotations/verifications/', {
      annotation: s.annotation.id,
      user: s.other.id,
    });
    expect(forOther.status).toBe(403);
    const mine = await s.api(s.member).post<RestVerification>('/annotations/verifications/', {
      annotation: s.annotation.id,
    });
    expect(mine.status).toBe(201);
    const theirs = await s
      .api(s.other)
      .patch(`/annotations/verifications/${mine.body.id}/`, { verified: false });
    expect(theirs.status).toBe(403);
    // A signed-in non-member reads the public set but may not verify in it.
    const read = await s.api(s.reader).get<Page<RestVerification>>('/annotations/verifications/');
    expect(read.body.results.map((v) => v.id)).toContain(mine.body.id);
    const readerWrite = await s
      .api(s.reader)
      .post('/annotations/verifications/', { annotation: s.annotation.id });
    expect(readerWrite.status).toBe(403);
    const unknown = await s.api(s.member).post<Record<string, string[]>>('/annotations/verifications/', {
      annotation: 999_999,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.annotation?.[0]).toMatch(/Invalid pk/);
    const malformed = await s.api(s.member).post('/annotations/verifications/', {
      annotation: s.annotation.id,
      verified: 'maybe',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ verified: ['Must be a valid boolean.'] });
    const own = await s.api(s.member).patch<RestVerification>(`/annotations/verifications/${mine.body.id}/`, {
      verified: false,
    });
    expect(own.status).toBe(200);
    expect(own.body.verified).toBe(false);
  });

  it('projects verifications made by live clients, and a rebuild recreates them', async () => {
    const s = await scene();
    const token = await s.api(s.other).post<{ token: string }>('/users/tokens/', { name: 'live' });
    const live = await openLiveDocument(server.baseUrl, `image.${s.image}`, token.body.token);
    setVerification(live.doc, s.annotation.unique_identifier, true, { userId: s.other.id });
    await live.saved();
    await expect
      .poll(
        async () =>
          (
            await s
              .api(s.admin)
              .get<Page<RestVerification>>(`/annotations/verifications/?annotation=${s.annotation.id}`)
          ).body.count,
      )
      .toBe(1);
    live.close();
    await server.db.query('DELETE FROM annotation_verifications');
    await rebuildProjection(server.db);
    const rebuilt = await s
      .api(s.admin)
      .get<Page<RestVerification>>(`/annotations/verifications/?annotation=${s.annotation.id}`);
    expect(rebuilt.body.results).toMatchObject([
      { annotation: s.annotation.id, user: s.other.id, verified: true },
    ]);
  });
});
