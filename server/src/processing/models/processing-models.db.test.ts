import { describe, expect, it } from 'vitest';
import type { Page, ProcessingModel } from '@tessera/shared';
import { Factories, type TestUser } from '../../../../test/support/factories.js';
import { ApiClient, type Credentials } from '../../../../test/support/http.js';
import { darkBlobSegmenter } from '../../../../test/support/onnx-model.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const PATH = '/processing/models/';
const SPEC = JSON.stringify({ inputWidth: 32, inputHeight: 32, decoding: { kind: 'segmentation' } });

/** A multipart model upload as a script sends it. */
async function upload(who: Credentials | undefined, fields: Record<string, string>, bytes?: Uint8Array) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (bytes) form.set('file', new Blob([Buffer.from(bytes)]), 'model.onnx');
  const headers: Record<string, string> = who
    ? { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` }
    : {};
  const response = await fetch(`${server.baseUrl}/api/v1${PATH}`, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const outsider = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const otherTeam = await make().team({ admins: [outsider] });
  const image = await make().image(await make().imageSet(team, admin), admin);
  const otherImage = await make().image(await make().imageSet(otherTeam, outsider), outsider);
  const api = (u: TestUser) => new ApiClient(server.baseUrl, u);
  return { admin, member, outsider, team, otherTeam, image, otherImage, api };
}

describe('processing/models/', () => {
  it('lets a team admin upload a model the team sees, downloads and runs, and deletes it', async () => {
    const s = await scene();
    const bytes = darkBlobSegmenter(32);
    const created = await upload(s.admin, { team: String(s.team), name: 'Dark blobs', spec: SPEC }, bytes);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      team: s.team,
      name: 'Dark blobs',
      size: bytes.length,
      spec: {
        inputWidth: 32,
        normalisation: { mean: [0, 0, 0] },
        decoding: { kind: 'segmentation', minArea: 16 },
      },
    });
    const id = created.body.id as number;
    const listed = await s.api(s.member).get<Page<ProcessingModel>>(PATH);
    expect(listed.body.results.map((m) => m.id)).toEqual([id]);
    expect((await s.api(s.outsider).get<Page<ProcessingModel>>(PATH)).body.results).toEqual([]);
    expect((await s.api(s.outsider).get(`${PATH}${id}/`)).status).toBe(404);
    const file = await fetch(`${server.baseUrl}/api/v1${PATH}${id}/file/`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${s.member.username}:${s.member.password}`).toString('base64')}`,
      },
    });
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    // The plugin gets the model for an image of the team, never for another team's image.
    const source = server.services.processingModels;
    expect((await source.modelForImage(id, s.image)).spec.inputWidth).toBe(32);
    await expect(source.modelForImage(id, s.otherImage)).rejects.toThrow(
      /not one of the models of the image's team/,
    );

    expect((await s.api(s.member).delete(`${PATH}${id}/`)).status).toBe(403);
    expect((await s.api(s.admin).delete(`${PATH}${id}/`)).status).toBe(204);
    expect((await s.api(s.member).get(`${PATH}${id}/`)).status).toBe(404);
  });

  it('refuses uploads from non-admins, without a file, with a bad spec or a file that is no model', async () => {
    const s = await scene();
    const bytes = darkBlobSegmenter(32);
    const fields = { team: String(s.team), name: 'm', spec: SPEC };
    expect((await upload(undefined, fields, bytes)).status).toBe(401);
    expect((await upload(s.member, fields, bytes)).status).toBe(403);
    expect(await upload(s.outsider, fields, bytes)).toMatchObject({
      status: 400,
      body: { team: [expect.stringMatching(/Invalid pk/)] },
    });
    expect(await upload(s.admin, fields)).toMatchObject({
      status: 400,
      body: { file: [expect.stringMatching(/exactly one ONNX file/)] },
    });
    expect(await upload(s.admin, { ...fields, spec: '{' }, bytes)).toMatchObject({
      status: 400,
      body: { spec: ['spec must be JSON text'] },
    });
    expect(
      (await upload(s.admin, { ...fields, spec: JSON.stringify({ inputWidth: 32 }) }, bytes)).status,
    ).toBe(400);
    expect(await upload(s.admin, fields, new Uint8Array([1, 2, 3]))).toMatchObject({
      status: 400,
      body: { file: [expect.stringMatching(/not a model onnxruntime can load/)] },
    });
    expect((await upload(s.admin, fields, bytes)).status).toBe(201);
    expect(await upload(s.admin, fields, bytes)).toMatchObject({
      status: 400,
      body: { name: [expect.stringMatching(/already has a model/)] },
    });
  });
});
