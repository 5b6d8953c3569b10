import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import type { Image } from '@tessera/shared';
import { Factories } from '../../../test/support/factories.js';
import { makeTestClip } from '../../../test/support/media.js';
import { ApiClient, type Credentials } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { slide, uploadImages } from '../../../test/support/upload.js';
import { lacking } from '../../../test/support/prerequisites.js';

// A real tiler and the job runner: uploads become ready (or failed) and their pixels are served.
// Converting a scanner slide takes seconds on a quiet machine and several times that on a loaded one;
// these tests assert what the pipeline produces, not how fast, so their limit is generous.
const PIPELINE_TEST_TIMEOUT_MS = 120_000;
const server = useTestServer({ tiler: true });
const make = () => new Factories(server.db);

const basic = (u: Credentials) => ({
  authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
});

async function settled(who: Credentials, id: number): Promise<Image> {
  const api = new ApiClient(server.baseUrl, who);
  return vi.waitFor(
    async () => {
      const res = await api.get<Image>(`/images/images/${id}/`);
      if (res.body.state === 'processing') throw new Error(`image ${id} still processing`);
      return res.body;
    },
    // Just under the tests' own limit below, so a slow conversion fails naming the image.
    { timeout: PIPELINE_TEST_TIMEOUT_MS - 5_000, interval: 100 },
  );
}

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const outsider = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const set = await make().imageSet(team, admin);
  return { admin, member, outsider, set };
}

describe.skipIf(lacking('openslide'))(
  'the image pipeline with a real tiler',
  { timeout: PIPELINE_TEST_TIMEOUT_MS },
  () => {
    it.each([
      ['CMU-1-Small-Region.svs', 'aperio', 2220, 2967],
      ['test3-DAPI-2-387.ndpi', 'hamamatsu', 3968, 4864],
      ['openslide-python-boxes.tiff', 'generic-tiff', 300, 250],
    ])('makes %s ready as %s, %ix%i, with its metadata', async (file, vendor, width, height) => {
      const { admin, member, set } = await scene();
      const res = await uploadImages(server.baseUrl, admin, set, [{ name: file, bytes: await slide(file) }]);
      const image = await settled(admin, res.body.results[0]?.id ?? 0);
      expect(image).toMatchObject({ state: 'ready', vendor, width, height, failure_reason: null });
      expect(image.vendor_properties).toMatchObject({ 'openslide.vendor': vendor });
      const asMember = await new ApiClient(server.baseUrl, member).get<Image>(`/images/images/${image.id}/`);
      expect(asMember.body).not.toHaveProperty('vendor_properties');
    });

    it('marks broken files failed with a clear reason and keeps serving the others', async () => {
      const { admin, set } = await scene();
      const res = await uploadImages(server.baseUrl, admin, set, [
        { name: 'unreadable.svs', bytes: await slide('openslide-python-unreadable.svs') },
        { name: 'unopenable.tiff', bytes: await slide('openslide-python-unopenable.tiff') },
        { name: 'notes.txt', bytes: new TextEncoder().encode('not an image at all') },
        { name: 'good.svs', bytes: await slide('openslide-python-small.svs') },
      ]);
      const settledAll = await Promise.all(res.body.results.map((r) => settled(admin, r.id)));
      const byName = (name: string) => settledAll.find((i) => i.original_filename === name);
      const [unreadable, unopenable, text, good] = [
        'unreadable.svs',
        'unopenable.tiff',
        'notes.txt',
        'good.svs',
      ].map(byName);
      expect(unreadable?.state).toBe('failed');
      expect(unreadable?.failure_reason).toMatch(/cannot be read: Bogus marker/);
      expect(unopenable?.state).toBe('failed');
      expect(unopenable?.failure_reason).toMatch(/TIFF|compression|unsupported/i);
      expect(text?.state).toBe('failed');
      expect(text?.failure_reason).toMatch(/not an image format/);
      expect(good?.state).toBe('ready');
      const failedTile = await fetch(`${server.baseUrl}/images/image/${unreadable?.id}/1/1/tile/`, {
        headers: basic(admin),
      });
      expect(failedTile.status).toBe(409);
      const goodDzi = await fetch(`${server.baseUrl}/images/image/${good?.id}/1/1/tile/`, {
        headers: basic(admin),
      });
      expect(goodDzi.status).toBe(200);
    });

    it('converts an ordinary PNG into a pyramid and serves DeepZoom tiles with strong caching', async () => {
      const { admin, member, set } = await scene();
      const png = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#3366aa' } })
        .png()
        .toBuffer();
      const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'photo.png', bytes: png }]);
      const image = await settled(admin, res.body.results[0]?.id ?? 0);
      expect(image).toMatchObject({ state: 'ready', width: 1500, height: 1000 });
      const dzi = await fetch(`${server.baseUrl}/images/image/${image.id}/1/1/tile/`, {
        headers: basic(member),
      });
      expect(await dzi.text()).toMatch(/TileSize="254" Overlap="1"[\s\S]*Width="1500" Height="1000"/);
      const tileUrl = `${server.baseUrl}/images/image/${image.id}/1/1/tile_files/11/1_1.jpeg`;
      const tile = await fetch(tileUrl, { headers: basic(member) });
      expect(tile.status).toBe(200);
      const meta = await sharp(Buffer.from(await tile.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 256, 256]);
      const etag = tile.headers.get('etag') ?? '';
      expect(etag).not.toBe('');
      expect(tile.headers.get('cache-control')).toMatch(/immutable/);
      const again = await fetch(tileUrl, { headers: { ...basic(member), 'if-none-match': etag } });
      expect(again.status).toBe(304);
      const outside = await fetch(`${server.baseUrl}/images/image/${image.id}/1/1/tile_files/11/99_99.jpeg`, {
        headers: basic(member),
      });
      expect(outside.status).toBe(404);
    });

    it('serves thumbnails, slide information and patches; label and macro images only to team admins', async () => {
      const { admin, member, outsider, set } = await scene();
      const res = await uploadImages(server.baseUrl, admin, set, [
        { name: 'cmu.svs', bytes: await slide('CMU-1-Small-Region.svs') },
      ]);
      const image = await settled(admin, res.body.results[0]?.id ?? 0);
      const base = `${server.baseUrl}/api/v1/images/images/${image.id}`;
      const thumb = await fetch(`${base}/thumbnail/?size=128`, { headers: basic(member) });
      const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      expect(Math.max(thumbMeta.width, thumbMeta.height)).toBe(128);
      const info = (await (await fetch(`${base}/slide_information/`, { headers: basic(member) })).json()) as {
        level_dimensions: number[][];
        levels: number;
      };
      expect(info.level_dimensions[0]).toEqual([2220, 2967]);
      const patch = await fetch(`${base}/get_patch/?x=100&y=100&level=0&width=64&height=32`, {
        headers: basic(member),
      });
      const patchMeta = await sharp(Buffer.from(await patch.arrayBuffer())).metadata();
      expect([patchMeta.format, patchMeta.width, patchMeta.height]).toEqual(['png', 64, 32]);
      const tooBig = await fetch(`${base}/get_patch/?x=0&y=0&level=0&width=4096&height=10`, {
        headers: basic(member),
      });
      expect(tooBig.status).toBe(400);
      for (const path of [
        'thumbnail/',
        'slide_information/',
        'get_patch/?x=0&y=0&level=0&width=8&height=8',
      ]) {
        expect((await fetch(`${base}/${path}`, { headers: basic(outsider) })).status).toBe(404);
      }
      const names = image.associated_images ?? [];
      expect(names.length).toBeGreaterThan(0);
      const label = `${base}/associated/${names[0] ?? ''}/`;
      expect((await fetch(label, { headers: basic(member) })).status).toBe(403);
      const asAdmin = await fetch(label, { headers: basic(admin) });
      expect(asAdmin.status).toBe(200);
      expect(asAdmin.headers.get('content-type')).toBe('image/jpeg');
    });
  },
);

describe('frames', () => {
  it('takes a video apart into frames with their times, each viewable through EXACT URLs', async () => {
    const { admin, member, set } = await scene();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-video-'));
    const file = path.join(dir, 'clip.mp4');
    makeTestClip(file, { seconds: 1, width: 320, height: 240, fps: 4 });
    const res = await uploadImages(server.baseUrl, admin, set, [
      { name: 'clip.mp4', bytes: await readFile(file) },
    ]);
    await rm(dir, { recursive: true, force: true });
    const image = await settled(admin, res.body.results[0]?.id ?? 0);
    expect(image).toMatchObject({
      state: 'ready',
      vendor: 'video',
      width: 320,
      height: 240,
      frames: 4,
      defaultFrame: 1,
    });
    expect(image.FrameDescriptions).toHaveLength(4);
    const api = new ApiClient(server.baseUrl, member);
    const frames = await api.get<{ results: { frame_id: number; description: string; image: number }[] }>(
      `/images/frame_descriptions/?image=${image.id}`,
    );
    expect(frames.body.results.map((f) => [f.frame_id, f.description])).toEqual([
      [1, '00:00:00.000'],
      [2, '00:00:00.250'],
      [3, '00:00:00.500'],
      [4, '00:00:00.750'],
    ]);
    const frame3 = await fetch(`${server.baseUrl}/images/image/${image.id}/1/3/tile_files/9/0_0.jpeg`, {
      headers: basic(member),
    });
    expect(frame3.status).toBe(200);
    const frame1 = await fetch(`${server.baseUrl}/images/image/${image.id}/1/1/tile_files/9/0_0.jpeg`, {
      headers: basic(member),
    });
    // Different frames of the test pattern are different pictures.
    expect(Buffer.from(await frame3.arrayBuffer()).equals(Buffer.from(await frame1.arrayBuffer()))).toBe(
      false,
    );
    const missing = await fetch(`${server.baseUrl}/images/image/${image.id}/1/5/tile/`, {
      headers: basic(member),
    });
    expect(missing.status).toBe(404);
    const thumb = await fetch(`${server.baseUrl}/api/v1/images/images/${image.id}/thumbnail/?frame=2`, {
      headers: basic(member),
    });
    expect(thumb.status).toBe(200);
  });
});
