// `npm start` on a machine without libopenslide0 and ffmpeg, made by pointing both loaders at nothing:
// one line names what is missing, the demo's data sets that need neither become ready, and a scanner
// slide is refused with the reason instead of being retried.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset, Image, ImageSet, Page } from '@tessera/shared';
import { ApiClient } from './support/http.js';
import { startTessera, type TesseraProcess } from './support/process.js';
import { slide, uploadImages } from './support/upload.js';

const BARE_MACHINE = {
  TESSERA_OPENSLIDE_LIBRARY: '/nonexistent/libopenslide.so.0',
  TESSERA_FFMPEG_PATH: '/nonexistent/ffmpeg',
  TESSERA_JOB_POLL_MS: '200',
};

describe('tessera start without OpenSlide and ffmpeg', () => {
  const running: TesseraProcess[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('says what is missing once, sets up the demo without them and refuses a scanner slide', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bare-'));
    const { p, url } = await startTessera(dataDir, running, BARE_MACHINE);
    const [, username = '', password = ''] =
      /Sign in as "([^"]+)" with password: (\S+)/.exec(p.output()) ?? [];
    const admin = { username, password };
    const api = new ApiClient(url, admin);

    const missing = p
      .output()
      .split('\n')
      .filter((line) => /libopenslide0|ffmpeg/.test(line));
    expect(missing).toEqual([
      'Not installed: libopenslide0 and ffmpeg; scanner slides (.svs, .ndpi, ...) and videos will be ' +
        'refused, everything else works. Install: apt-get install libopenslide0 ffmpeg ' +
        '(macOS: brew install openslide ffmpeg)',
    ]);

    // The catalogue says why the data sets that need them are unavailable.
    const catalogue = await api.get<Page<Dataset> | Dataset[]>('/datasets/datasets/');
    const datasets = Array.isArray(catalogue.body) ? catalogue.body : catalogue.body.results;
    const unavailable = Object.fromEntries(
      datasets.filter((d) => !d.available).map((d) => [d.name, d.unavailable_reason]),
    );
    expect(unavailable).toEqual({
      'cell-video': expect.stringMatching(/need ffmpeg/) as unknown,
      'cmu-slide': expect.stringMatching(/need OpenSlide \(libopenslide0\)/) as unknown,
      'fluorescence-slides': expect.stringMatching(/need OpenSlide \(libopenslide0\)/) as unknown,
    });

    // The demo sets up the three generated data sets that need neither, and their images become ready.
    await p.waitFor(/Demo data ready in [\d.]+ s: team "Demo" with 3 image sets/, 300_000);
    const sets = await api.get<Page<ImageSet>>('/images/image_sets/?limit=100');
    expect(sets.body.results.map((s) => s.name).sort()).toEqual([
      'Synthetic cytology fields',
      'Synthetic cytology slide',
      'Synthetic time-lapse series',
    ]);
    await expect
      .poll(
        async () => {
          const images = (await api.get<Page<Image>>('/images/images/?limit=100')).body.results;
          return images.every((i) => i.state !== 'processing') ? images : undefined;
        },
        { timeout: 300_000, interval: 500 },
      )
      .toBeDefined();
    const images = (await api.get<Page<Image>>('/images/images/?limit=100')).body.results;
    expect(images.filter((i) => i.state !== 'ready')).toEqual([]);
    const slideImage = images.find((i) => i.width === 16_384);
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const tile = await fetch(`${url}/images/image/${slideImage?.id ?? 0}/1/1/tile_files/14/10_5.jpeg`, {
      headers: { authorization: basic },
    });
    expect(tile.status).toBe(200);

    // A scanner slide fails at once with the reason: no retries, no stack traces.
    const set = sets.body.results[0]?.id ?? 0;
    const upload = await uploadImages(url, admin, set, [
      { name: 'scan.svs', bytes: await slide('openslide-python-small.svs') },
    ]);
    expect(upload.status).toBe(201);
    const id = upload.body.results[0]?.id ?? 0;
    await expect
      .poll(async () => (await api.get<Image>(`/images/images/${id}/`)).body.state, { timeout: 60_000 })
      .toBe('failed');
    const failed = await api.get<Image & { failure_reason?: string }>(`/images/images/${id}/`);
    expect(failed.body.failure_reason).toMatch(
      /scanner slides need OpenSlide \(libopenslide0\), which is not installed/,
    );
    expect(p.output()).not.toMatch(/retr(y|ied)|"stack"/);

    p.child.kill('SIGTERM');
    expect(await p.exited(), p.output()).toBe(0);
  }, 420_000);
});
