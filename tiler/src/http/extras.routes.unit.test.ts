// Thumbnails, regions (EXACT's get_patch) and associated images over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToRgb } from '../sources/raster.js';
import { startTestTiler, type TestTiler } from '../testing/server.js';
import { lacking } from '../../../test/support/prerequisites.js';

let t: TestTiler;
beforeAll(async () => {
  t = await startTestTiler(['CMU-1-Small-Region.svs', 'test3-DAPI-2-387.ndpi', 'openslide-python-small.svs']);
});
afterAll(async () => {
  await t.close();
});

const cmu = (scope: ('tiles' | 'associated')[] = ['tiles']): string =>
  `${t.url}/v1/t/${t.token('set/CMU-1-Small-Region.svs', scope)}`;

async function image(res: Response): Promise<[number, number]> {
  const decoded = await decodeToRgb(Buffer.from(await res.arrayBuffer()));
  return [decoded.width, decoded.height];
}

describe.skipIf(lacking('openslide'))('thumbnail.jpeg', () => {
  it('fits the longest side to size (256 by default), keeping the aspect ratio', async () => {
    const res = await fetch(`${cmu()}/thumbnail.jpeg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await image(res)).toEqual([Math.round((2220 * 256) / 2967), 256]);
    const ndpi = `${t.url}/v1/t/${t.token('set/test3-DAPI-2-387.ndpi', ['tiles'])}/thumbnail.jpeg?size=100`;
    expect(await image(await fetch(ndpi))).toEqual([Math.round((3968 * 100) / 4864), 100]);
  });

  it('never enlarges', async () => {
    const small = `${t.url}/v1/t/${t.token('set/openslide-python-small.svs', ['tiles'])}/thumbnail.jpeg?size=512`;
    expect(await image(await fetch(small))).toEqual([16, 16]);
  });

  it.each(['size=0', 'size=2049', 'size=abc', 'size=1.5', 'size=-3'])('answers 400 to %s', async (query) => {
    const res = await fetch(`${cmu()}/thumbnail.jpeg?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error: expect.stringMatching(/size/) as unknown });
  });
});

describe.skipIf(lacking('openslide'))('region.png', () => {
  it('reads width x height at level from level-0 x, y, as PNG', async () => {
    const res = await fetch(`${cmu()}/region.png?x=100&y=200&level=0&width=300&height=150`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(await image(res)).toEqual([300, 150]);
  });

  it.each([
    ['x=0&y=0&level=0&width=2049&height=10', /width/],
    ['x=0&y=0&level=0&width=10&height=4096', /height/],
    ['x=0&y=0&level=0&width=0&height=10', /width/],
    ['x=0&y=0&level=1&width=10&height=10', /level/],
    ['x=a&y=0&level=0&width=10&height=10', /x/],
    ['y=0&level=0&width=10&height=10', /x is required/],
  ])('answers 400 to %s', async (query, message) => {
    const res = await fetch(`${cmu()}/region.png?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });
});

describe.skipIf(lacking('openslide'))('associated/{name}.jpeg', () => {
  it('serves label, macro and thumbnail with the associated scope', async () => {
    for (const [name, size] of [
      ['label', [387, 463]],
      ['macro', [1280, 431]],
      ['thumbnail', [574, 768]],
    ] as const) {
      const res = await fetch(`${cmu(['associated'])}/associated/${name}.jpeg`);
      expect(res.status, name).toBe(200);
      expect(await image(res)).toEqual(size);
    }
  });

  it('answers 404 without the scope, and for names the slide lacks', async () => {
    expect((await fetch(`${cmu(['tiles'])}/associated/label.jpeg`)).status).toBe(404);
    expect((await fetch(`${cmu(['associated'])}/associated/nothing.jpeg`)).status).toBe(404);
    expect((await fetch(`${cmu(['associated'])}/associated/label.png`)).status).toBe(404);
    expect((await fetch(`${cmu(['associated'])}/associated/%E0%A4%A.jpeg`)).status).toBe(404);
  });

  it('does not open the tiles routes to an associated-only token', async () => {
    expect((await fetch(`${cmu(['associated'])}/dzi`)).status).toBe(404);
  });
});
