import { endpoint, type Endpoint, type RawQuery } from '../api/endpoint.js';
import { idParams } from '../api/path-params.js';
import { parseRegionKey, type Region } from '@tessera/shared';
import { AppError } from '../errors/app-error.js';
import { sendGzippedFrames, sendUpdateFrames, type DocumentSnapshots } from './document-snapshot.js';

/** `?user=<id>`: whose blind copy; absent for the document the caller opens. */
function copyOwner(query: RawQuery): number | null {
  const raw = query.user;
  if (raw === undefined) return null;
  const value = Array.isArray(raw) ? (raw.at(-1) ?? '') : raw;
  if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
    throw AppError.invalidField('user', 'Give the id of the user whose copy to load.');
  }
  return Number(value);
}

/** `?region=<x>.<y>`: one region document of an image with regions (G1); absent for the one opened. */
function regionOf(query: RawQuery): Region | null {
  const raw = query.region;
  if (raw === undefined) return null;
  const region = parseRegionKey(Array.isArray(raw) ? (raw.at(-1) ?? '') : raw);
  if (region === null) {
    throw AppError.invalidField('region', 'Give a region as <x>.<y>, its column and row (e.g. 7.5).');
  }
  return region;
}

/** `images/images/<id>/annotation_document/`: the stored live document, for a fast first load. */
export function documentSnapshotEndpoints(snapshots: DocumentSnapshots): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/images/images/:id/annotation_document/',
      policy: 'image.see',
      params: idParams,
      tag: 'annotations',
      summary: "The image's live annotation document as stored (Yjs updates), to apply before connecting",
      description:
        'Answers `application/vnd.tessera.yjs-updates`: the Yjs V1 updates to apply in order (compacted ' +
        'state, then newer log rows), each prefixed with its length as a 4-byte big-endian integer; ' +
        'gzipped when accepted. It is the document you open for the image: in a blind set your own ' +
        "copy; `?user=<id>` names another reader's copy (team admins); `?region=<x>.<y>` one region " +
        'document of an image with regions (the browser loads those in view this way). The same access ' +
        'rules as the live connection apply; anything else is 404.',
      async handler({ viewer, params, query, ctx }) {
        const gzipAccepted = ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
        const answer = await snapshots.read(
          viewer,
          params.id,
          copyOwner(query),
          regionOf(query),
          gzipAccepted,
        );
        ctx.res.once('finish', () => {
          snapshots.served(answer.document, viewer);
        });
        // Which document these are (an image with regions answers its index): clients check it.
        ctx.set('X-Tessera-Document', answer.document);
        if ('gzipped' in answer) sendGzippedFrames(ctx, answer.gzipped);
        else sendUpdateFrames(ctx, answer.updates);
        return { streamed: true };
      },
    }),
  ];
}
