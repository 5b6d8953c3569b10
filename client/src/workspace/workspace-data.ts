// What the workspace loads over REST before it opens the live document: the image, its set, the
// set's annotation templates (products' annotation types) and the set's images for previous/next.
import {
  formatDocumentName,
  type AnnotationType,
  type AnnotationTypes,
  type Image,
  type ImageSet,
} from '@tessera/shared';
import { api } from '../api/http';
import { annotationTypes, imageSets, images, products } from '../api/resources';
import { DocumentSnapshotLoader } from './document-snapshot';
import { loadVersionView, type VersionView } from './version-document';

export interface WorkspaceData {
  image: Image;
  imageSet: ImageSet;
  /** Active types in EXACT's order: sort_order, then id. */
  types: AnnotationType[];
  /** The set's images (first 1,000), in id order. */
  siblings: Image[];
  /** Set when the workspace shows a dataset version (read-only) instead of the live document. */
  version?: VersionView;
  /** The live document's stored copy, fetched alongside this data (absent for a version view). */
  snapshot?: DocumentSnapshotLoader;
}

/** Loads everything the workspace needs before the viewer opens (and a version's states, if asked). */
export async function loadWorkspace(imageId: number, versionId?: number): Promise<WorkspaceData> {
  // Started first: for a large image the document is most of what the page waits for.
  const snapshot = versionId === undefined ? new DocumentSnapshotLoader(imageId) : undefined;
  const image = await api<Image>('GET', `/images/images/${imageId}/`);
  const [imageSet, productPage, siblingPage] = await Promise.all([
    imageSets.get(image.image_set),
    products.ofImageSet(image.image_set),
    images.page(image.image_set, 1000, 0),
  ]);
  const typePage = await annotationTypes.ofProducts(productPage.results.map((p) => p.id));
  const types = typePage.results
    .filter((t) => t.active)
    .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  const data = { image, imageSet, types, siblings: siblingPage.results };
  return versionId === undefined
    ? { ...data, snapshot }
    : { ...data, version: await loadVersionView(versionId, imageId) };
}

/** The rules shared's schema needs to check an annotation against these types. */
export function typeRules(types: readonly AnnotationType[]): AnnotationTypes {
  return new Map(types.map((t) => [t.id, { vectorType: t.vector_type, nodeCount: t.node_count }]));
}

/** The live document of an image: per user in blind (competitive) sets. */
export function documentName(image: Image, imageSet: ImageSet, userId: number): string {
  return imageSet.collaboration_type === 1 ? `image.${image.id}.user.${userId}` : `image.${image.id}`;
}

/**
 * The image's region size when its annotations are split over region documents (docs/SPEC-collab.md,
 * G1-G6); null for the one document of an ordinary image (a server without the field answers none).
 */
export function regionSizeOf(image: Image): number | null {
  const size = image.annotation_region_size;
  return typeof size === 'number' && size > 0 ? size : null;
}

/** The index document of an image with regions (per user in blind sets): labels and the region index. */
export function indexDocumentName(image: Image, imageSet: ImageSet, userId: number): string {
  const copyOf = imageSet.collaboration_type === 1 ? userId : null;
  return formatDocumentName({ imageId: image.id, userId: copyOf, part: { kind: 'index' } });
}

/** The document a workspace of the image opens: the index document for an image with regions. */
export function workspaceDocumentName(image: Image, imageSet: ImageSet, userId: number): string {
  return regionSizeOf(image) === null
    ? documentName(image, imageSet, userId)
    : indexDocumentName(image, imageSet, userId);
}

/** EXACT's DeepZoom descriptor of one frame (frames count from 1). */
export function dziUrl(imageId: number, frame: number): string {
  return `/images/image/${imageId}/1/${frame}/tile/`;
}
