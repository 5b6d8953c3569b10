import { z } from 'zod';
import { splitCreate, versionArtifact, versionSplit } from '@tessera/shared';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import { idParams, pathId } from '../api/path-params.js';
import type { ArtifactsService } from './artifacts.service.js';
import type { SplitsService } from './splits.service.js';

const TAG = 'versions';

/** A version and one of its attached files. */
const artifactParams = z.object({ id: pathId, artifact: pathId });

/** A version's splits and its attached files (artifacts). */
export function splitsAndArtifactsEndpoints(splits: SplitsService, artifacts: ArtifactsService): Endpoint[] {
  const attach = (path: string, summary: string) =>
    endpoint({
      method: 'post',
      path,
      policy: 'version.annotate',
      params: idParams,
      tag: TAG,
      summary,
      description: 'multipart/form-data: the file under any field name; an optional `name` field.',
      status: 201,
      response: z.array(versionArtifact),
      async handler({ viewer, params, ctx }) {
        return { status: 201, body: await artifacts.attach(viewer, params.id, ctx.req) };
      },
    });
  return [
    endpoint({
      method: 'get',
      path: '/images/set_versions/:id/splits/',
      policy: 'version.see',
      params: idParams,
      tag: TAG,
      summary: "The version's train/validation/test splits",
      response: z.array(versionSplit),
      async handler({ viewer, params }) {
        return { body: await splits.list(viewer, params.id) };
      },
    }),
    endpoint({
      method: 'post',
      path: '/images/set_versions/:id/splits/',
      policy: 'version.annotate',
      params: idParams,
      tag: TAG,
      summary: "Splits the version's images: by hand, by ratio with a seed, or stratified by label counts",
      body: splitCreate,
      status: 201,
      response: versionSplit,
      async handler({ viewer, params, body }) {
        return { status: 201, body: await splits.create(viewer, params.id, body) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/set_versions/:id/artifacts/',
      policy: 'version.see',
      params: idParams,
      tag: TAG,
      summary: 'Files attached to the version (model weights, metrics, notebooks)',
      response: z.array(versionArtifact),
      async handler({ viewer, params }) {
        return { body: await artifacts.list(viewer, params.id) };
      },
    }),
    attach(
      '/images/set_versions/:id/artifacts/',
      'Attaches files to the version (streamed; size and SHA-256 recorded)',
    ),
    attach('/images/set_versions/:id/add/', "EXACT's attach-a-file route (same as artifacts/)"),
    endpoint({
      method: 'get',
      path: '/images/set_versions/:id/artifacts/:artifact/',
      policy: 'version.see',
      params: artifactParams,
      tag: TAG,
      summary: 'Downloads an attached file',
      async handler({ viewer, params, ctx }) {
        const opened = await artifacts.open(viewer, params.id, params.artifact);
        ctx.status = 200;
        ctx.type = 'application/octet-stream';
        ctx.attachment(opened.artifact.name);
        ctx.set('Content-Length', String(opened.artifact.size));
        ctx.set('Digest', `sha-256=${Buffer.from(opened.artifact.sha256, 'hex').toString('base64')}`);
        ctx.body = opened.body;
        return { streamed: true };
      },
    }),
    endpoint({
      method: 'delete',
      path: '/images/set_versions/:id/artifacts/:artifact/',
      policy: 'version.administer',
      params: artifactParams,
      tag: TAG,
      summary: 'Deletes an attached file (team admins)',
      async handler({ viewer, params }) {
        await artifacts.remove(viewer, params.id, params.artifact);
        return {};
      },
    }),
  ];
}
