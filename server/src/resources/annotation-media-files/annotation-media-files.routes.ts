import { restAnnotationMediaFile, restAnnotationMediaFileChange } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import { endpoint, type Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import { idParams } from '../../api/path-params.js';
import { readMultipart } from '../../ingest/multipart.js';
import type { ImageStorage } from '../../ingest/storage.js';
import type { AnnotationMediaFilesService } from './annotation-media-files.service.js';
import { sendStoredFile } from './file-response.js';

const PATH = '/annotations/annotation_media_files/';

/**
 * `annotations/annotation_media_files/`: list, retrieve, multipart upload, rename (PUT, PATCH), delete,
 * and `<id>/file/`, the bytes (with byte ranges, for seeking in audio and video).
 */
export function annotationMediaFilesEndpoints(
  mediaFiles: AnnotationMediaFilesService,
  listing: Listing,
  uploads: { storage: ImageStorage; maxUploadBytes: number },
): Endpoint[] {
  return [
    ...crudEndpoints({
      path: PATH,
      policy: 'media_file.see',
      tag: 'annotations',
      noun: 'annotation media file',
      resource: mediaFiles,
      listing,
      output: restAnnotationMediaFile,
      update: {
        policy: 'media_file.annotate',
        put: restAnnotationMediaFileChange,
        patch: restAnnotationMediaFileChange.partial(),
        run: (viewer, id, body) => mediaFiles.change(viewer, id, body),
      },
      remove: { policy: 'media_file.annotate', run: (viewer, id) => mediaFiles.remove(viewer, id) },
    }),
    endpoint({
      method: 'post',
      path: PATH,
      policy: 'annotation.annotate',
      tag: 'annotations',
      summary: 'Attaches a file to an annotation (multipart: annotation, media_file_type, name, file)',
      description:
        'One file under any field name (EXACT uses `file`). `media_file_type` is 1 undefined, 2 image, ' +
        "3 video or 4 audio; without it the file's content type decides. `name` defaults to the file's name.",
      response: restAnnotationMediaFile,
      status: 201,
      async handler({ viewer, ctx, query }) {
        const upload = await readMultipart(ctx.req, uploads.storage, uploads.maxUploadBytes);
        const id = await mediaFiles.upload(viewer, upload);
        return { status: 201, body: await listing.retrieve(mediaFiles, viewer, id, query) };
      },
    }),
    endpoint({
      method: 'get',
      path: `${PATH}:id/file/`,
      policy: 'media_file.see',
      params: idParams,
      tag: 'annotations',
      summary: "A media file's bytes (image, video and audio shown in place, anything else downloaded)",
      async handler({ viewer, params, ctx }) {
        await sendStoredFile(ctx, await mediaFiles.openFile(viewer, params.id));
        return { streamed: true };
      },
    }),
  ];
}
