import { z } from 'zod';
import {
  annotationVersion,
  restoreReport,
  setVersion,
  setVersionCreate,
  versionDiff,
  versionRestore,
} from '@tessera/shared';
import { crudEndpoints } from '../api/crud.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import { idParams } from '../api/path-params.js';
import type { Listing } from '../api/listing.js';
import type { LiveDocumentsPort } from '../collab/live-documents.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { AnnotationVersionsService } from './annotation-versions.js';
import { diffVersions } from './diff.js';
import { restoreVersion } from './restore.js';
import { VersionDocuments } from './version-documents.js';
import type { VersionsService } from './versions.service.js';

const TAG = 'versions';

/**
 * EXACT's `images/set_versions/` and `annotations/annotation_versions/`, plus Tessera's diff, the
 * documents of a version (for a read-only viewer) and restore.
 */
export function versionsEndpoints(
  versions: VersionsService,
  annotationVersions: AnnotationVersionsService,
  listing: Listing,
  deps: { db: Database; documents: LiveDocumentsPort },
): Endpoint[] {
  return [
    ...crudEndpoints({
      path: '/images/set_versions/',
      policy: 'version.see',
      tag: TAG,
      noun: 'dataset version',
      resource: versions,
      listing,
      output: setVersion,
      create: {
        policy: 'image_set.version',
        body: setVersionCreate,
        run: (viewer, body) => versions.create(viewer, body),
      },
      remove: {
        policy: 'version.administer',
        async run(viewer, id) {
          await versions.requireAdmin(viewer, id);
          await versions.remove(id);
        },
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/set_versions/:id/diff/',
      policy: 'version.see',
      params: idParams,
      tag: TAG,
      summary: 'What changed from this version to another (?to=<id>) or to now (?to=now, the default)',
      response: versionDiff,
      async handler({ viewer, params, query }) {
        const from = (await versions.visible(viewer, params.id)).id;
        const raw = typeof query.to === 'string' ? query.to : 'now';
        if (raw !== 'now' && !/^\d{1,10}$/.test(raw)) {
          throw AppError.invalidField('to', 'Give a version id or "now".');
        }
        const to = raw === 'now' ? 'now' : (await versions.visible(viewer, Number(raw))).id;
        return { body: await diffVersions(deps.db, from, to) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/images/set_versions/:id/documents/',
      policy: 'version.see',
      params: idParams,
      tag: TAG,
      summary:
        "An image's annotation documents as the version holds them (Yjs states, base64), to view read-only",
      response: z.object({
        documents: z.array(z.object({ document: z.string(), image: z.number(), state: z.base64() })),
      }),
      async handler({ viewer, params, query }) {
        const version = await versions.visible(viewer, params.id);
        const image = Number(query.image);
        if (!Number.isInteger(image) || !version.images.includes(image)) {
          throw AppError.invalidField('image', 'Give an image of this version: ?image=<id>.');
        }
        const states = await new VersionDocuments(deps.db).states(version.id, image);
        return {
          body: {
            documents: states.map((s) => ({
              document: s.document,
              image: s.imageId,
              state: Buffer.from(s.state).toString('base64'),
            })),
          },
        };
      },
    }),
    endpoint({
      method: 'post',
      path: '/images/set_versions/:id/restore/',
      policy: 'version.administer',
      params: idParams,
      tag: TAG,
      summary: 'Restores the version (or one image of it) into the live state as new edits (team admins)',
      body: versionRestore,
      response: restoreReport,
      async handler({ viewer, params, body }) {
        const version = await versions.requireAdmin(viewer, params.id);
        if (body.image !== undefined && !version.images.includes(body.image)) {
          throw AppError.invalidField('image', `Image ${body.image} is not in this version.`);
        }
        return { body: await restoreVersion(deps.db, deps.documents, viewer, version, body.image) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/annotations/annotation_versions/',
      policy: 'version.see',
      tag: TAG,
      summary: 'The annotations a version holds (?version=<id> is required)',
      list: { filters: annotationVersions.filters },
      flex: true,
      response: annotationVersion,
      async handler({ viewer, query, url }) {
        return { body: await listing.list(annotationVersions, viewer, query, url) };
      },
    }),
  ];
}
