// Files attached to annotations (EXACT's annotation_media_files). The workspace knows annotations by
// their unique_identifier (the live document's key); the REST resources by the projection's id.
import type { Page, RestAnnotation, RestAnnotationMediaFile } from '@tessera/shared';
import { ApiError, api, currentCsrfToken, messageOf, parseJson, reportUnauthorized } from './http';
import { query } from './resources';

/** The projection's id of an annotation on an image, or undefined while it is not projected yet. */
async function annotationId(image: number, uniqueIdentifier: string): Promise<number | undefined> {
  const found = await api<Page<Pick<RestAnnotation, 'id'>>>(
    'GET',
    `/annotations/annotations/${query({ image, unique_identifier: uniqueIdentifier, fields: 'id' })}`,
  );
  return found.results[0]?.id;
}

export const mediaFiles = {
  annotationId,
  /** The files attached to one annotation (those the caller may see), oldest first. */
  ofAnnotation: async (annotation: number) =>
    (
      await api<Page<RestAnnotationMediaFile>>(
        'GET',
        `/annotations/annotation_media_files/${query({ annotation, limit: 1000 })}`,
      )
    ).results,
  /** Attaches a file; its kind (image, video, audio) follows from its type on the server. */
  attach: async (annotation: number, file: File): Promise<RestAnnotationMediaFile> => {
    const form = new FormData();
    // The fields first, so the server reads them before the bytes.
    form.set('annotation', String(annotation));
    form.set('file', file, file.name);
    const response = await fetch('/api/v1/annotations/annotation_media_files/', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': currentCsrfToken() },
      body: form,
    });
    const body = parseJson(await response.text());
    if (!response.ok) {
      if (response.status === 401) reportUnauthorized();
      throw new ApiError(response.status, messageOf(response.status, body), body);
    }
    return body as RestAnnotationMediaFile;
  },
  remove: (id: number) => api<undefined>('DELETE', `/annotations/annotation_media_files/${id}/`),
};
