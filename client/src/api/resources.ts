// Typed calls for the resources the pages use. Shapes come from @tessera/shared (types only: the
// schemas themselves stay out of the bundle).
import type {
  AccessToken,
  Dataset,
  DatasetInstance,
  AnnotationType,
  AnnotationTypeCreate,
  Image,
  ImageContributors,
  ImageSet,
  Page,
  Product,
  RestoreReport,
  ReviewDisagreement,
  ReviewItem,
  ReviewSummary,
  SetVersion,
  StudyStatistics,
  Team,
  TeamMembership,
  User,
  VersionDiff,
  RestAnnotation,
} from '@tessera/shared';
import { api } from './http';

/** The answer to a token creation: the only time the secret is shown. */
export type AccessTokenCreated = AccessToken & { token: string };

/** A membership with its user expanded (`?expand=user`). */
export type MembershipWithUser = Omit<TeamMembership, 'user'> & { user: User };

/** Query strings from plain values; undefined values are left out. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

// The server caps `limit` (TESSERA_MAX_PAGE_SIZE, at least 1000 in practice); lists of teams, sets,
// products and types are small, so one page of this size is all of them.
const ALL = 1000;

export const teams = {
  list: () => api<Page<Team>>('GET', `/users/teams/${query({ limit: ALL })}`),
};

export const imageSets = {
  list: () => api<Page<ImageSet>>('GET', `/images/image_sets/${query({ limit: ALL })}`),
  get: (id: number) => api<ImageSet>('GET', `/images/image_sets/${id}/`),
  create: (input: { name: string; team: number; description?: string }) =>
    api<ImageSet>('POST', '/images/image_sets/', input),
  update: (
    id: number,
    changes: Partial<
      Pick<ImageSet, 'name' | 'description' | 'collaboration_type' | 'public' | 'required_verifications'>
    >,
  ) => api<ImageSet>('PATCH', `/images/image_sets/${id}/`, changes),
  /** Who worked on each image: annotations made, and others' edited last. */
  contributors: (id: number) => api<ImageContributors>('GET', `/images/image_sets/${id}/contributors/`),
};

/** A set's second-opinion review (server/src/resources/reviews). */
export const reviews = {
  /** What still needs the caller, in review order; `after` a unique identifier: what follows it. */
  queue: (imageSet: number, o: { after?: string; limit: number }) =>
    api<Page<ReviewItem>>(
      'GET',
      `/images/image_sets/${imageSet}/review_queue/${query({ after: o.after, limit: o.limit })}`,
    ),
  disagreements: (imageSet: number) =>
    api<Page<ReviewDisagreement>>(
      'GET',
      `/images/image_sets/${imageSet}/review_disagreements/${query({ limit: ALL })}`,
    ),
  summary: (imageSet: number) => api<ReviewSummary>('GET', `/images/image_sets/${imageSet}/review_summary/`),
};

export const images = {
  page: (imageSet: number, limit: number, offset: number) =>
    api<Page<Image>>('GET', `/images/images/${query({ image_set: imageSet, limit, offset })}`),
  byIds: (ids: readonly number[]) =>
    api<Page<Image>>('GET', `/images/images/${query({ id__in: ids.join(','), limit: ALL })}`),
};

export const annotations = {
  /** Live (not deleted) annotations in a whole image set (those the caller may see). */
  countInSet: async (imageSet: number) =>
    (
      await api<{ count: number }>(
        'GET',
        `/annotations/annotations/count/${query({ image__image_set: imageSet, deleted: false })}`,
      )
    ).count,
  /**
   * Where an annotation of an image lies (its vector, by the projection); null when the server has
   * none of that id there, or for an image label.
   */
  vectorOf: async (image: number, uniqueIdentifier: string) =>
    (
      await api<Page<Pick<RestAnnotation, 'vector'>>>(
        'GET',
        `/annotations/annotations/${query({ image, unique_identifier: uniqueIdentifier, fields: 'vector' })}`,
      )
    ).results[0]?.vector ?? null,
  /** Live (not deleted) annotations on one image. */
  countOnImage: async (image: number) =>
    (
      await api<{ count: number }>(
        'GET',
        `/annotations/annotations/count/${query({ image, deleted: false })}`,
      )
    ).count,
};

export const products = {
  ofImageSet: (imageSet: number) =>
    api<Page<Product>>('GET', `/administration/products/${query({ imagesets: imageSet, limit: ALL })}`),
  ofTeam: (team: number) =>
    api<Page<Product>>('GET', `/administration/products/${query({ team, limit: ALL })}`),
  create: (input: { name: string; team: number; imagesets: number[] }) =>
    api<Product>('POST', '/administration/products/', input),
  setImageSets: (id: number, imageSets: number[]) =>
    api<Product>('PATCH', `/administration/products/${id}/`, { imagesets: imageSets }),
};

export const annotationTypes = {
  ofProducts: (productIds: readonly number[]) =>
    productIds.length === 0
      ? Promise.resolve<Page<AnnotationType>>({ count: 0, next: null, previous: null, results: [] })
      : api<Page<AnnotationType>>(
          'GET',
          `/annotations/annotation_types/${query({ product__in: productIds.join(','), limit: ALL })}`,
        ),
  create: (input: Partial<AnnotationTypeCreate> & { name: string; product: number }) =>
    api<AnnotationType>('POST', '/annotations/annotation_types/', input),
  update: (id: number, changes: Partial<AnnotationTypeCreate>) =>
    api<AnnotationType>('PATCH', `/annotations/annotation_types/${id}/`, changes),
};

export const memberships = {
  ofTeam: (team: number) =>
    api<Page<MembershipWithUser>>(
      'GET',
      `/users/team_membership/${query({ team, expand: 'user', limit: ALL })}`,
    ),
  ofUser: (user: number) =>
    api<Page<TeamMembership>>('GET', `/users/team_membership/${query({ user, limit: ALL })}`),
  create: (input: { team: number; user: number; is_admin: boolean }) =>
    api<TeamMembership>('POST', '/users/team_membership/', input),
  setAdmin: (id: number, isAdmin: boolean) =>
    api<TeamMembership>('PATCH', `/users/team_membership/${id}/`, { is_admin: isAdmin }),
  remove: (id: number) => api('DELETE', `/users/team_membership/${id}/`),
};

export const users = {
  /** Changes one's own password; the server then ends all of one's sessions. */
  changePassword: (id: number, currentPassword: string, password: string) =>
    api<User>('PATCH', `/users/users/${id}/`, { current_password: currentPassword, password }),
  byUsername: async (username: string) =>
    (await api<Page<User>>('GET', `/users/users/${query({ username })}`)).results[0],
  /** The users among `ids` the caller may see (none asked, none fetched). */
  byIds: async (ids: readonly number[]): Promise<User[]> =>
    ids.length === 0
      ? []
      : (await api<Page<User>>('GET', `/users/users/${query({ id__in: ids.join(','), limit: ids.length })}`))
          .results,
};

export const tokens = {
  list: () => api<AccessToken[]>('GET', '/users/tokens/'),
  create: (name: string, expiresInDays: number | null) =>
    api<AccessTokenCreated>('POST', '/users/tokens/', { name, expires_in_days: expiresInDays }),
  revoke: (id: number) => api('DELETE', `/users/tokens/${id}/`),
};

export const versions = {
  ofImageSet: (imageSet: number) =>
    api<Page<SetVersion>>('GET', `/images/set_versions/${query({ imagesets: imageSet, limit: ALL })}`),
  create: (input: { name: string; description: string; imagesets: number[] }) =>
    api<SetVersion>('POST', '/images/set_versions/', input),
  /** Makes the live state what the version holds, as new edits (team admins). */
  restore: (id: number) => api<RestoreReport>('POST', `/images/set_versions/${id}/restore/`, {}),
  /** What changed from a version to another version or to now (lists cut at 10,000; counts whole). */
  diff: (from: number, to: number | 'now') =>
    api<VersionDiff>('GET', `/images/set_versions/${from}/diff/${query({ to: String(to) })}`),
};

/** Where a version's (or, without one, the set's current) annotations download in a format. */
export function exportUrl(
  target: { version: number } | { imageSet: number },
  format: 'coco' | 'geojson' | 'csv',
): string {
  const path =
    'version' in target
      ? `/images/set_versions/${target.version}/export/`
      : `/images/image_sets/${target.imageSet}/export/`;
  return `/api/v1${path}${query({ format })}`;
}

/** How the study statistics match readers' annotations (the server's defaults when left out). */
export interface StudyRule {
  readonly iouThreshold?: number;
  readonly pointDistance?: number;
}

export const studyStatistics = {
  /** Readers' counts, time and agreement of an image set (team admins). */
  get: (imageSet: number, rule: StudyRule) =>
    api<StudyStatistics>('GET', studyStatisticsPath(imageSet, rule)),
  /** Where the per-reader table downloads as CSV. */
  csvUrl: (imageSet: number, rule: StudyRule) => `/api/v1${studyStatisticsPath(imageSet, rule, 'csv')}`,
};

function studyStatisticsPath(imageSet: number, rule: StudyRule, format?: 'csv'): string {
  return `/images/image_sets/${imageSet}/study_statistics/${query({
    format,
    iou_threshold: rule.iouThreshold,
    point_distance: rule.pointDistance,
  })}`;
}

export const datasets = {
  list: () => api<Page<Dataset>>('GET', '/datasets/datasets/'),
  /** Sets a data set up in a team (team admins): a new image set; its images then process. */
  instantiate: (name: string, input: { team: number; seed: number }) =>
    api<DatasetInstance>('POST', `/datasets/datasets/${encodeURIComponent(name)}/instantiate/`, input),
};
