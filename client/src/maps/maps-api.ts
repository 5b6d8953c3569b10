// The REST calls of annotation maps (annotations/annotation_maps/) and of the annotations they show.
import type {
  AnnotationMap,
  AnnotationMapCell,
  AnnotationMapCreate,
  AnnotationMapScreening,
  AnnotationType,
  Page,
} from '@tessera/shared';
import { api } from '../api/http';
import { annotationTypes, products, query } from '../api/resources';
import type { ScreeningPlanWrite } from '../api/screening-modes';

const MAPS = '/annotations/annotation_maps/';

export const annotationMaps = {
  ofImageSet: (imageSet: number) =>
    api<Page<AnnotationMap>>('GET', `${MAPS}${query({ image_set: imageSet, limit: 1000 })}`),
  get: (id: number) => api<AnnotationMap>('GET', `${MAPS}${id}/`),
  cells: (id: number) => api<AnnotationMapCell[]>('GET', `${MAPS}${id}/cells/`),
  create: (input: Partial<AnnotationMapCreate> & { annotation_type: number }) =>
    api<AnnotationMap>('POST', MAPS, input),
  regenerate: (id: number) => api<AnnotationMap>('POST', `${MAPS}${id}/regenerate/`),
  remove: (id: number) => api<undefined>('DELETE', `${MAPS}${id}/`),
};

/** The user's screening of a map (their own row on the server): read, and written whole at each change. */
export function mapScreeningStore(id: number) {
  const put = (plan: ScreeningPlanWrite) =>
    api<AnnotationMapScreening>('PUT', `${MAPS}${id}/screening/`, plan);
  return {
    // 204 (no body) before the user started one.
    load: async () =>
      (await api<AnnotationMapScreening | undefined>('GET', `${MAPS}${id}/screening/`)) ?? null,
    start: put,
    moveTo: (_index: number, plan: ScreeningPlanWrite) => put(plan),
  };
}

/** Changes the original annotation (in its image's live document, through the REST write path). */
export const mapAnnotations = {
  relabel: (annotation: number, type: number) =>
    api<unknown>('PATCH', `/annotations/annotations/${annotation}/`, { annotation_type: type }),
  remove: (annotation: number) => api<undefined>('DELETE', `/annotations/annotations/${annotation}/`),
};

/** The set's active annotation types in EXACT's order (sort_order, then id). */
export async function setTypes(imageSet: number): Promise<AnnotationType[]> {
  const productPage = await products.ofImageSet(imageSet);
  const page = await annotationTypes.ofProducts(productPage.results.map((p) => p.id));
  return page.results.filter((t) => t.active).sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
}

/** The map's DeepZoom descriptor (checked and relayed by the server like an image's). */
export function mapDziUrl(id: number): string {
  return `/images/annotation_map/${id}/tile/`;
}
