import { describe, expect, it } from 'vitest';
import type { Page, RestAnnotation } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);

describe('annotations/annotations/ list sent as built JSON', () => {
  it('answers exactly what the shared list path presents, page by page, in the same field order', async () => {
    const admin = await make().user();
    const member = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const set = await make().imageSet(team, admin);
    const product = await make().product(team, admin, [set]);
    const box = await make().annotationType(product, { vector_type: 1 });
    const image = await make().image(set, admin);
    const api = new ApiClient(server.baseUrl, member);
    const descriptions = ['plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'ünïcödé 😀 \u2028', ''];
    const items = descriptions.map((description, i) => ({
      annotation_type: box,
      image,
      vector: { x1: i + 0.5, y1: i, x2: i + 5.25, y2: i + 5 },
      description,
      ...(i % 2 === 0 ? { meta_data: { note: `n"${i}`, nested: { list: [1, 2.5, null] } } } : {}),
      time: `2024-05-01T10:11:1${i}.${'123456'.slice(0, i + 1)}`,
    }));
    expect((await api.post('/annotations/annotations/', items)).status).toBe(201);

    const base = `/annotations/annotations/?image=${image}&limit=2`;
    // `omit` of a field no annotation has sends the list down the shared path (objects, stringify).
    const fast = await pages(api, base);
    const shared = await pages(api, `${base}&omit=no_such_field`);
    expect(fast.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    expect(fast.counts).toEqual([5, 5, 5]);
    expect(fast.counts).toEqual(shared.counts);
    expect(fast.results).toEqual(shared.results);
    expect(fast.results.map((r) => Object.keys(r))).toEqual(shared.results.map((r) => Object.keys(r)));
    expect(fast.results.map((r) => r.description)).toEqual(descriptions);
    // Documents keep microseconds: PostgreSQL prints 1 to 6 digits, EXACT's form always has 6.
    expect(fast.results.map((r) => r.time)).toEqual([
      '2024-05-01T10:11:10.100000',
      '2024-05-01T10:11:11.120000',
      '2024-05-01T10:11:12.123000',
      '2024-05-01T10:11:13.123400',
      '2024-05-01T10:11:14.123450',
    ]);
  });
});

/** Follows `next` from `path`; collects every page's results, counts and content types. */
async function pages(api: ApiClient, path: string) {
  const results: RestAnnotation[] = [];
  const counts: number[] = [];
  const contentTypes: string[] = [];
  let next: string | null = `${server.baseUrl}/api/v1${path}`;
  while (next !== null) {
    const page: { body: Page<RestAnnotation>; headers: Headers; status: number } = await api.get<
      Page<RestAnnotation>
    >(next.replace(`${server.baseUrl}/api/v1`, ''));
    expect(page.status).toBe(200);
    results.push(...page.body.results);
    counts.push(page.body.count);
    contentTypes.push(page.headers.get('content-type') ?? '');
    next = page.body.next;
  }
  return { results, counts, contentTypes };
}
