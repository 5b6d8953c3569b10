import type { Config } from '../config/config.js';
import type { Endpoint } from '../api/endpoint.js';
import { Expander, type ExpandableResource } from '../api/expansion.js';
import { Listing } from '../api/listing.js';
import { authEndpoints } from '../auth/auth.routes.js';
import { usersEndpoints } from '../resources/users/users.routes.js';
import { teamsEndpoints } from '../resources/teams/teams.routes.js';
import { membershipsEndpoints } from '../resources/memberships/memberships.routes.js';
import { imageSetsEndpoints } from '../resources/image-sets/image-sets.routes.js';
import { setTagsEndpoints } from '../resources/set-tags/set-tags.routes.js';
import { productsEndpoints } from '../resources/products/products.routes.js';
import { annotationTypesEndpoints } from '../resources/annotation-types/annotation-types.routes.js';
import { imagesEndpoints } from '../resources/images/images.routes.js';
import { annotationsEndpoints } from '../resources/annotations/annotations.routes.js';
import { imageLogsEndpoints } from '../resources/image-logs/image-logs.routes.js';
import { screeningModesEndpoints } from '../resources/screening-modes/screening-modes.routes.js';
import { verificationsEndpoints } from '../resources/verifications/verifications.routes.js';
import { reviewsEndpoints } from '../resources/reviews/reviews.routes.js';
import { imageContributorsEndpoints } from '../resources/image-contributors/image-contributors.routes.js';
import { annotationMediaFilesEndpoints } from '../resources/annotation-media-files/annotation-media-files.routes.js';
import { documentSnapshotEndpoints } from '../collab/document-snapshot.routes.js';
import { regionConversionEndpoints } from '../collab/region-conversion.routes.js';
import { datasetsEndpoints } from '../datasets/datasets.routes.js';
import { versionsEndpoints } from '../versions/versions.routes.js';
import { splitsAndArtifactsEndpoints } from '../versions/splits.routes.js';
import { interchangeEndpoints } from '../interchange/interchange.routes.js';
import { exportFormatsEndpoints } from '../interchange/export-formats.routes.js';
import { processingModelsEndpoints } from '../processing/models/processing-models.routes.js';
import { studyStatisticsEndpoints } from '../resources/study-statistics/study-statistics.routes.js';
import { mapsEndpoints } from '../maps/maps.routes.js';
import { processingEndpoints } from '../processing/processing.routes.js';
import type { Services } from './services.js';

/** What one resource or subsystem adds to the API. */
interface ApiModule {
  /** Its services whose objects other answers may embed with `?expand=` (each under its own name). */
  readonly expandable?: readonly (ExpandableResource & { readonly name: string })[];
  readonly endpoints: readonly Endpoint[];
}

/**
 * The API's modules in documentation order: one entry per resource or subsystem, so adding one is one
 * line here (plus its service in services.ts).
 */
function apiModules(s: Services, listing: Listing, config: Config): ApiModule[] {
  const uploads = { storage: s.storage, maxUploadBytes: config.maxUploadBytes };
  return [
    { endpoints: authEndpoints(s.auth, s.users, config) },
    { expandable: [s.users], endpoints: usersEndpoints(s.users, listing) },
    { expandable: [s.teams], endpoints: teamsEndpoints(s.teams, listing) },
    { expandable: [s.memberships], endpoints: membershipsEndpoints(s.memberships, listing) },
    { expandable: [s.imageSets], endpoints: imageSetsEndpoints(s.imageSets, listing) },
    { expandable: [s.setTags], endpoints: setTagsEndpoints(s.setTags, listing) },
    { expandable: [s.products], endpoints: productsEndpoints(s.products, listing) },
    { expandable: [s.annotationTypes], endpoints: annotationTypesEndpoints(s.annotationTypes, listing) },
    {
      expandable: [s.images, s.frameDescriptions],
      endpoints: imagesEndpoints(s.images, listing, {
        ...uploads,
        tiler: s.tiler,
        frameDescriptions: s.frameDescriptions,
        uploads: s.uploads,
      }),
    },
    { expandable: [s.screeningModes], endpoints: screeningModesEndpoints(s.screeningModes, listing) },
    { expandable: [s.annotations], endpoints: annotationsEndpoints(s.annotations, listing) },
    { expandable: [s.imageLogs], endpoints: imageLogsEndpoints(s.imageLogs, listing) },
    { endpoints: documentSnapshotEndpoints(s.documentSnapshots) },
    { endpoints: regionConversionEndpoints({ db: s.versions.db, documents: s.liveDocuments }) },
    {
      expandable: [s.versions, s.annotationVersions],
      endpoints: versionsEndpoints(s.versions, s.annotationVersions, listing, {
        db: s.versions.db,
        documents: s.liveDocuments,
      }),
    },
    { endpoints: splitsAndArtifactsEndpoints(s.splits, s.artifacts) },
    { expandable: [s.exportFormats], endpoints: exportFormatsEndpoints(s.exportFormats, listing) },
    {
      expandable: [s.processingModels],
      endpoints: processingModelsEndpoints(s.processingModels, listing, uploads),
    },
    { endpoints: interchangeEndpoints(s.exports, s.imports, s.splits) },
    { endpoints: studyStatisticsEndpoints(s.studyStatistics) },
    { expandable: [s.verifications], endpoints: verificationsEndpoints(s.verifications, listing) },
    { endpoints: reviewsEndpoints(s.reviews, config.maxPageSize) },
    { endpoints: imageContributorsEndpoints(s.imageContributors) },
    {
      expandable: [s.annotationMediaFiles],
      endpoints: annotationMediaFilesEndpoints(s.annotationMediaFiles, listing, uploads),
    },
    { endpoints: datasetsEndpoints(s.datasets, uploads) },
    { expandable: [s.maps], endpoints: mapsEndpoints(s.maps, s.mapScreening, listing) },
    {
      expandable: [s.processing.plugins, s.processing.jobs],
      endpoints: processingEndpoints(s.processing, listing),
    },
  ];
}

/** Every REST endpoint below /api/v1, in documentation order. */
export function apiEndpoints(services: Services, config: Config): Endpoint[] {
  const expander = new Expander();
  const modules = apiModules(services, new Listing(expander, config.maxPageSize), config);
  for (const resource of modules.flatMap((module) => module.expandable ?? [])) {
    expander.register(resource.name, resource);
  }
  return modules.flatMap((module) => module.endpoints);
}
