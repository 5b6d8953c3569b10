import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { AuthRepo } from '../auth/auth.repo.js';
import { AuthService } from '../auth/auth.service.js';
import { UsersService } from '../resources/users/users.service.js';
import { TeamsService } from '../resources/teams/teams.service.js';
import { MembershipsService } from '../resources/memberships/memberships.service.js';
import { ImageSetsService } from '../resources/image-sets/image-sets.service.js';
import { SetTagsService } from '../resources/set-tags/set-tags.service.js';
import { ProductsService } from '../resources/products/products.service.js';
import { AnnotationTypesService } from '../resources/annotation-types/annotation-types.service.js';
import { AnnotationsService } from '../resources/annotations/annotations.service.js';
import { VerificationsService } from '../resources/verifications/verifications.service.js';
import { FrameDescriptionsService } from '../resources/images/frame-descriptions.service.js';
import { ImagesService } from '../resources/images/images.service.js';
import { ImageLogsService } from '../resources/image-logs/image-logs.service.js';
import { ScreeningModesService } from '../resources/screening-modes/screening-modes.service.js';
import { ReviewsService } from '../resources/reviews/reviews.service.js';
import { ImageContributorsService } from '../resources/image-contributors/image-contributors.service.js';
import { LiveDocumentsPort } from '../collab/live-documents.js';
import { DocumentsRepo } from '../collab/documents.repo.js';
import { DocumentSnapshots } from '../collab/document-snapshot.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { ImageJobRunner } from '../ingest/job-runner.js';
import { ImageStorage } from '../ingest/storage.js';
import { MediaStorage } from '../ingest/media-storage.js';
import { AnnotationMediaFilesService } from '../resources/annotation-media-files/annotation-media-files.service.js';
import { TilerClient } from '../ingest/tiler.client.js';
import { UploadService } from '../ingest/upload.service.js';
import { AnnotationVersionsService } from '../versions/annotation-versions.js';
import { VersionsService } from '../versions/versions.service.js';
import { ExportService } from '../interchange/export.service.js';
import { ImportService } from '../interchange/import.service.js';
import { ExportFormatsService } from '../interchange/export-formats.service.js';
import { ProcessingModelsService } from '../processing/models/processing-models.service.js';
import { ArtifactsService } from '../versions/artifacts.service.js';
import { SplitsService } from '../versions/splits.service.js';
import { StudyStatisticsService } from '../resources/study-statistics/study-statistics.service.js';
import { MapGenerator } from '../maps/map-generator.js';
import { MapScreeningService } from '../maps/map-screening.service.js';
import { MapsService } from '../maps/maps.service.js';
import { MosaicClient } from '../maps/mosaic.client.js';
import { createProcessing } from '../processing/processing.js';

/** The services behind the API, one instance each per process. */
export function createServices(db: Database, config: Config, tilerSecret: string, logger: Logger) {
  const storage = new ImageStorage(config.dataDir);
  const tiler = new TilerClient(config.tilerUrl, tilerSecret);
  const imageJobs = new ImageJobRunner(db, tiler, logger, config.jobPollMs);
  const liveDocuments = new LiveDocumentsPort();
  const annotations = new AnnotationsService(db, liveDocuments);
  const services = {
    liveDocuments,
    annotations,
    documentSnapshots: new DocumentSnapshots(new DocumentsRepo(db), (document, viewer) => {
      liveDocuments.warm(document, viewer.id);
    }),
    verifications: new VerificationsService(db, annotations),
    reviews: new ReviewsService(db),
    imageContributors: new ImageContributorsService(db),
    annotationMediaFiles: new AnnotationMediaFilesService(
      db,
      annotations,
      storage,
      new MediaStorage(config.dataDir),
    ),
    storage,
    tiler,
    imageJobs,
    frameDescriptions: new FrameDescriptionsService(db),
    images: new ImagesService(db, storage),
    uploads: new UploadService(db, storage, config.maxUploadBytes, () => {
      imageJobs.kick();
    }),
    auth: new AuthService(new AuthRepo(db), config),
    users: new UsersService(db),
    teams: new TeamsService(db),
    memberships: new MembershipsService(db),
    imageSets: new ImageSetsService(db, liveDocuments),
    setTags: new SetTagsService(db),
    products: new ProductsService(db),
    annotationTypes: new AnnotationTypesService(db),
    imageLogs: new ImageLogsService(db),
    screeningModes: new ScreeningModesService(db),
    studyStatistics: new StudyStatisticsService(db),
  };
  const versions = new VersionsService(db);
  const exportFormats = new ExportFormatsService(db);
  const versionServices = {
    exportFormats,
    versions,
    annotationVersions: new AnnotationVersionsService(db),
    exports: new ExportService(db, versions, exportFormats, logger),
    imports: new ImportService(db, liveDocuments),
    splits: new SplitsService(db, versions),
    artifacts: new ArtifactsService(db, versions, storage, config.dataDir, config.maxUploadBytes),
  };
  // Data sets are set up through the other services, with the caller's rights.
  const datasets = new DatasetsService({ ...services, db, maxUploadBytes: config.maxUploadBytes, logger });
  const mosaics = new MosaicClient(config.tilerUrl, tilerSecret);
  const maps = new MapsService(db, new MapGenerator(db, storage, mosaics, logger));
  const mapScreening = new MapScreeningService(db, maps);
  const processingModels = new ProcessingModelsService(db, storage);
  const processing = createProcessing(
    db,
    config,
    {
      images: services.images,
      annotations,
      products: services.products,
      tiler,
      models: processingModels,
    },
    logger,
  );
  return { ...services, ...versionServices, datasets, maps, mapScreening, processing, processingModels };
}
export type Services = ReturnType<typeof createServices>;
