import { describe, expect, it, vi } from 'vitest';
import type { Dataset, DatasetInstance, Image, Page } from '@tessera/shared';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VectorType } from '@tessera/shared';
import { CATALOGUE } from './catalogue.js';
import { cytologyFields } from './cytology-fields/dataset.js';
import { DatasetSetup } from './dataset-setup.js';
import { lacking } from '../../../test/support/prerequisites.js';

const server = useTestServer({ tiler: true });
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);

/** What makes two setups the same: each image's bytes, and every annotation's id, label and vector. */
async function fingerprint(imageSet: number) {
  const images = await server.db.query<{ sha: string; frames: number; state: string }>(
    `SELECT encode(content_sha256, 'hex') AS sha, frames, state FROM images
     WHERE image_set_id = $1 ORDER BY original_filename`,
    [imageSet],
  );
  const annotations = await server.db.query<{ uuid: string; label: string; vector: unknown }>(
    `SELECT a.unique_identifier AS uuid, t.name AS label, a.vector
     FROM annotations a JOIN annotation_types t ON t.id = a.annotation_type_id
     WHERE a.image_set_id = $1 AND NOT a.deleted ORDER BY a.unique_identifier`,
    [imageSet],
  );
  return { images: images.map((i) => i.sha), annotations };
}

/** Waits until no image of the set is processing; answers the images. */
async function settled(admin: TestUser, imageSet: number, timeout: number): Promise<Image[]> {
  return vi.waitFor(
    async () => {
      const { body } = await api().as(admin).get<Page<Image>>(`/images/images/?image_set=${imageSet}`);
      if (body.results.some((i) => i.state === 'processing')) {
        throw new Error(`images of set ${imageSet} still processing`);
      }
      return body.results;
    },
    { timeout, interval: 250 },
  );
}

async function instantiate(admin: TestUser, name: string, body: object) {
  return api().as(admin).post<DatasetInstance>(`/datasets/datasets/${name}/instantiate/`, body);
}

describe('datasets/datasets/: the catalogue', () => {
  it('lists every data set with its description page to any signed-in user; 401 without', async () => {
    expect((await api().get('/datasets/datasets/')).status).toBe(401);
    const user = await make().user();
    const list = await api().as(user).get<Page<Dataset>>('/datasets/datasets/');
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(CATALOGUE.length);
    const slide = list.body.results.find((d) => d.name === 'cytology-slide');
    expect(slide).toMatchObject({
      kind: 'generated',
      image_count: 1,
      annotation_count: 3000,
      available: true,
      unavailable_reason: null,
    });
    expect(slide?.labels.map((l) => l.name)).toEqual([
      'Lymphocyte',
      'Neutrophil',
      'Macrophage',
      'Epithelial cell',
      'Mitotic figure',
    ]);
    for (const d of list.body.results) {
      expect(d.licence).not.toBe('');
      expect(d.source).not.toBe('');
      if (!d.available) expect(d.unavailable_reason).toMatch(/not/);
    }
    const one = await api().as(user).get<Dataset>('/datasets/datasets/cmu-slide/');
    expect(one.status).toBe(200);
    expect(one.body.licence).toMatch(/CC0/);
    expect((await api().as(user).get('/datasets/datasets/no-such-set/')).status).toBe(404);
  });
});

describe('datasets/datasets/NAME/instantiate/', () => {
  it('is for team admins: 403 for members, 400 for a team one cannot see, 404 for an unknown name', async () => {
    const admin = await make().user();
    const member = await make().user();
    const outsider = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    expect((await api().post('/datasets/datasets/cytology-fields/instantiate/', { team })).status).toBe(401);
    const asMember = await instantiate(member, 'cytology-fields', { team });
    expect(asMember.status).toBe(403);
    const asOutsider = await instantiate(outsider, 'cytology-fields', { team });
    expect(asOutsider.status).toBe(400);
    expect(asOutsider.body).toMatchObject({ team: [`Invalid pk "${team}" - object does not exist.`] });
    expect((await instantiate(admin, 'no-such-set', { team })).status).toBe(404);
    const badSeed = await instantiate(admin, 'cytology-fields', { team, seed: -1 });
    expect(badSeed.status).toBe(400);
    expect(Object.keys(badSeed.body as object)).toEqual(['seed']);
    expect((await instantiate(admin, 'cytology-fields', {})).body).toMatchObject({
      team: ['This field is required.'],
    });
    // Nothing was created by the refusals.
    const sets = await server.db.query('SELECT id FROM image_sets WHERE team_id = $1', [team]);
    expect(sets).toEqual([]);
  });

  // Each generated data set, set up twice with one seed: identical bytes and annotations, the counts
  // its page promises, images the tiler accepted (frames for the series and the video).
  const generated = [
    { name: 'cytology-fields', frames: [1, 1, 1, 1, 1, 1, 1, 1], ms: 60_000 },
    { name: 'cell-series', frames: [8], ms: 60_000 },
    { name: 'cell-video', frames: [12], ms: 60_000 },
    { name: 'cytology-slide', frames: [1], ms: 240_000 },
  ];
  for (const { name, frames, ms } of generated) {
    it.skipIf(name === 'cell-video' && lacking('ffmpeg'))(
      `sets ${name} up twice identically from one seed, with the promised counts`,
      { timeout: ms * 2 },
      async () => {
        const admin = await make().user();
        const team = await make().team({ admins: [admin] });
        const definition = CATALOGUE.find((d) => d.name === name);
        const first = await instantiate(admin, name, { team, seed: 7 });
        expect(first.status).toBe(201);
        const second = await instantiate(admin, name, { team, seed: 7 });
        expect(second.status).toBe(201);
        expect(first.body).toMatchObject({
          dataset: name,
          seed: 7,
          annotations: definition?.annotationCount,
          annotation_types: expect.any(Array) as unknown,
        });
        expect(first.body.images).toHaveLength(definition?.imageCount ?? -1);
        expect(second.body.image_set).not.toBe(first.body.image_set);

        const [a, b] = [await fingerprint(first.body.image_set), await fingerprint(second.body.image_set)];
        expect(a.images).toHaveLength(definition?.imageCount ?? -1);
        expect(a.annotations).toHaveLength(definition?.annotationCount ?? -1);
        expect(b).toEqual(a);

        for (const instance of [first.body, second.body]) {
          const images = await settled(admin, instance.image_set, ms);
          expect(images.map((i) => ({ state: i.state, reason: i.failure_reason }))).toEqual(
            images.map(() => ({ state: 'ready', reason: null })),
          );
          expect(images.map((i) => i.frames).sort()).toEqual(frames);
        }
        // The second setup in one team is named apart from the first.
        const names = await server.db.query<{ name: string }>(
          'SELECT name FROM image_sets WHERE team_id = $1 ORDER BY id',
          [team],
        );
        expect(names.map((n) => n.name)).toEqual([definition?.title, `${definition?.title ?? ''} (2)`]);
      },
    );
  }

  it('gives other images and annotations for another seed, and lets members read what was set up', async () => {
    const admin = await make().user();
    const member = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const one = await instantiate(admin, 'cytology-fields', { team, seed: 1, name: 'Seed one' });
    const two = await instantiate(admin, 'cytology-fields', { team, seed: 2, name: 'Seed two' });
    const [a, b] = [await fingerprint(one.body.image_set), await fingerprint(two.body.image_set)];
    expect(a.images.filter((sha) => b.images.includes(sha))).toEqual([]);
    expect(a.annotations.filter((x) => b.annotations.some((y) => y.uuid === x.uuid))).toEqual([]);
    const listed = await api()
      .as(member)
      .get<Page<{ unique_identifier: string }>>(
        `/annotations/annotations/?image__image_set=${one.body.image_set}&limit=1000`,
      );
    expect(listed.status).toBe(200);
    expect(listed.body.count).toBe(320);
  }, 60_000);

  it.skipIf(lacking('openslide'))(
    'sets the real CMU slide up where the test slides are present, and says why not elsewhere',
    async () => {
      const admin = await make().user();
      const team = await make().team({ admins: [admin] });
      const page = await api().as(admin).get<Dataset>('/datasets/datasets/cmu-slide/');
      const result = await instantiate(admin, 'cmu-slide', { team });
      if (!page.body.available) {
        expect(result.status).toBe(409);
        expect(JSON.stringify(result.body)).toContain('CMU-1-Small-Region.svs');
        return;
      }
      expect(result.status).toBe(201);
      const images = await settled(admin, result.body.image_set, 60_000);
      expect(images).toMatchObject([{ state: 'ready', width: 2220, height: 2967, vendor: 'aperio' }]);
      expect(result.body.annotation_types).toHaveLength(3);
    },
    90_000,
  );

  it('leaves nothing behind when a setup fails half-way', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-setup-'));
    try {
      const fields = await cytologyFields.create(dir, 1);
      const setup = new DatasetSetup({ ...server.services, maxUploadBytes: server.config.maxUploadBytes });
      const viewer = {
        id: admin.id,
        username: admin.username,
        isSuperuser: false,
        isStaff: false,
        via: 'basic' as const,
      };
      // The second annotation's box has three points: the write is refused after images and types exist.
      const [first, second] = fields.annotations;
      const plan = {
        team,
        title: 'Broken',
        description: '',
        productDescription: '',
        labels: [{ name: 'Cell', vectorType: VectorType.box, color: '#112233' }],
        content: {
          images: fields.images.slice(0, 1),
          annotations: [
            { ...first, image: 0, label: 'Cell', vector: first?.vector ?? null, uuid: first?.uuid ?? '' },
            {
              image: 0,
              label: 'Cell',
              vector: { x1: 1, y1: 1, x2: 2, y2: 2, x3: 3, y3: 3 },
              uuid: second?.uuid ?? '',
            },
          ],
        },
      };
      await expect(setup.run(viewer, plan)).rejects.toMatchObject({ status: 400 });
      expect(await server.db.query('SELECT id FROM image_sets WHERE team_id = $1', [team])).toEqual([]);
      expect(await server.db.query('SELECT id FROM products WHERE team_id = $1', [team])).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
