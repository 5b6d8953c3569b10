import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation, readRecord, updateFields, type Page, type SetVersion } from '@tessera/shared';
import { openLiveDocument } from '../../../test/support/collab-client.js';
import { useTestServer } from '../../../test/support/server.js';
import { rect, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();

type Api = ReturnType<Awaited<ReturnType<typeof versionScene>>['api']>;

/** Waits until the projection shows the annotation with this vector (it follows the log). */
async function projected(api: Api, image: number, id: string, vector: unknown): Promise<void> {
  const projectedVector = async () => {
    const res = await api.get<Page<{ unique_identifier: string; vector: unknown }>>(
      `/annotations/annotations/?image=${image}`,
    );
    return res.body.results.find((a) => a.unique_identifier === id)?.vector;
  };
  await expect.poll(projectedVector, { message: `annotation ${id} in the projection` }).toEqual(vector);
}

/** The vector of annotation `id` in a version's document state of `image`. */
async function vectorIn(api: Api, version: number, image: number, id: string): Promise<unknown> {
  const res = await api.get<{ documents: { state: string }[] }>(
    `/images/set_versions/${version}/documents/?image=${image}`,
  );
  expect(res.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(res.body.documents[0]?.state ?? '', 'base64'));
  return readRecord(doc, id)?.['vector'];
}

describe('document states of versions made while a client edits', () => {
  it('a client that edits across two versions has its later edits in the later version', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const image = s.images[0] as number;
    const token = await api.post<{ token: string }>('/users/tokens/', { name: 'live' });
    const live = await openLiveDocument(server.baseUrl, `image.${image}`, token.body.token);
    try {
      const id = randomUUID();
      const actor = { userId: s.member.id };
      createAnnotation(live.doc, { id, type: s.box, vector: rect(0, 0) }, actor);
      await projected(api, image, id, rect(0, 0));
      const v1 = await api.post<SetVersion>('/images/set_versions/', { name: 'v1', imagesets: [s.set] });
      expect(v1.status).toBe(201);
      // The same client (same Yjs client id) goes on: its new structs continue its clock, the case
      // Yjs's own state vector reading of a delta misses.
      updateFields(live.doc, id, { vector: rect(40, 40) }, actor);
      await projected(api, image, id, rect(40, 40));
      const v2 = await api.post<SetVersion>('/images/set_versions/', { name: 'v2', imagesets: [s.set] });
      expect(v2.status).toBe(201);
      expect(await vectorIn(api, v1.body.id, image, id)).toEqual(rect(0, 0));
      expect(await vectorIn(api, v2.body.id, image, id)).toEqual(rect(40, 40));
    } finally {
      live.close();
    }
  });
});
