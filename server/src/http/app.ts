import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import serve from 'koa-static';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { mountEndpoints, type Endpoint } from '../api/endpoint.js';
import { Expander } from '../api/expansion.js';
import { Listing } from '../api/listing.js';
import { buildOpenApi } from '../api/openapi.js';
import { AuthRepo } from '../auth/auth.repo.js';
import { AuthService } from '../auth/auth.service.js';
import { authEndpoints, LOGIN_PATH } from '../auth/auth.routes.js';
import { authenticate } from '../auth/authenticate.middleware.js';
import { UsersService } from '../users/users.service.js';
import { usersEndpoints } from '../users/users.routes.js';
import { TeamsService } from '../teams/teams.service.js';
import { teamsEndpoints } from '../teams/teams.routes.js';
import { MembershipsService } from '../memberships/memberships.service.js';
import { membershipsEndpoints } from '../memberships/memberships.routes.js';
import { ImageSetsService } from '../image-sets/image-sets.service.js';
import { imageSetsEndpoints } from '../image-sets/image-sets.routes.js';
import { SetTagsService } from '../set-tags/set-tags.service.js';
import { setTagsEndpoints } from '../set-tags/set-tags.routes.js';
import { ProductsService } from '../products/products.service.js';
import { productsEndpoints } from '../products/products.routes.js';
import { AnnotationTypesService } from '../annotation-types/annotation-types.service.js';
import { annotationTypesEndpoints } from '../annotation-types/annotation-types.routes.js';
import { AnnotationsService } from '../annotations/annotations.service.js';
import { annotationsEndpoints } from '../annotations/annotations.routes.js';
import { VerificationsService } from '../verifications/verifications.service.js';
import { verificationsEndpoints } from '../verifications/verifications.routes.js';
import { LiveDocumentsPort } from '../collab/live-documents.js';
import { DocumentsRepo } from '../collab/documents.repo.js';
import { DocumentSnapshots } from '../collab/document-snapshot.js';
import { documentSnapshotEndpoints } from '../collab/document-snapshot.routes.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { datasetsEndpoints } from '../datasets/datasets.routes.js';
import { ImageJobRunner } from '../images/job-runner.js';
import { imagesEndpoints } from '../images/images.routes.js';
import { FrameDescriptionsService } from '../images/frame-descriptions.service.js';
import { ImagesService } from '../images/images.service.js';
import { pixelsRouter } from '../images/pixels.routes.js';
import { ImageStorage } from '../images/storage.js';
import { TilerClient } from '../images/tiler.client.js';
import { AnnotationVersionsService } from '../versions/annotation-versions.js';
import { VersionsService } from '../versions/versions.service.js';
import { versionsEndpoints } from '../versions/versions.routes.js';
import { ExportService } from '../interchange/export.service.js';
import { ImportService } from '../interchange/import.service.js';
import { interchangeEndpoints } from '../interchange/interchange.routes.js';
import { ExportFormatsService } from '../interchange/export-formats.service.js';
import { exportFormatsEndpoints } from '../interchange/export-formats.routes.js';
import { ArtifactsService } from '../versions/artifacts.service.js';
import { SplitsService } from '../versions/splits.service.js';
import { splitsAndArtifactsEndpoints } from '../versions/splits.routes.js';
import { docsRouter } from './docs.routes.js';
import { bodyError, errorMiddleware } from './error.middleware.js';
import { securityHeadersMiddleware } from './security-headers.middleware.js';
import { healthRouter } from './health.routes.js';
import { requestLogMiddleware } from './request-log.middleware.js';

export interface AppDeps {
  readonly config: Config;
  /** The secret shared with the tiler (from the environment, or the data directory's own). */
  readonly tilerSecret: string;
  readonly db: Database;
  readonly logger: Logger;
  /** Built browser client to serve at `/` (client/dist); skipped when absent. */
  readonly clientDir?: string;
  readonly isShuttingDown?: () => boolean;
  readonly version?: string;
}

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
    storage,
    tiler,
    imageJobs,
    frameDescriptions: new FrameDescriptionsService(db),
    images: new ImagesService(db, storage, config.maxUploadBytes, () => {
      imageJobs.kick();
    }),
    auth: new AuthService(new AuthRepo(db), config),
    users: new UsersService(db),
    teams: new TeamsService(db),
    memberships: new MembershipsService(db),
    imageSets: new ImageSetsService(db),
    setTags: new SetTagsService(db),
    products: new ProductsService(db),
    annotationTypes: new AnnotationTypesService(db),
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
  return { ...services, ...versionServices, datasets };
}
export type Services = ReturnType<typeof createServices>;

/** Every REST endpoint below /api/v1, in documentation order. */
export function apiEndpoints(services: Services, config: Config): Endpoint[] {
  const expander = new Expander();
  for (const resource of [
    services.users,
    services.teams,
    services.memberships,
    services.imageSets,
    services.setTags,
    services.products,
    services.annotationTypes,
    services.images,
    services.frameDescriptions,
    services.annotations,
    services.verifications,
    services.versions,
    services.annotationVersions,
    services.exportFormats,
  ]) {
    expander.register(resource.name, resource);
  }
  const listing = new Listing(expander, config.maxPageSize);
  return [
    ...authEndpoints(services.auth, services.users, config),
    ...usersEndpoints(services.users, listing),
    ...teamsEndpoints(services.teams, listing),
    ...membershipsEndpoints(services.memberships, listing),
    ...imageSetsEndpoints(services.imageSets, listing),
    ...setTagsEndpoints(services.setTags, listing),
    ...productsEndpoints(services.products, listing),
    ...annotationTypesEndpoints(services.annotationTypes, listing),
    ...imagesEndpoints(services.images, listing, {
      storage: services.storage,
      tiler: services.tiler,
      maxUploadBytes: config.maxUploadBytes,
      frameDescriptions: services.frameDescriptions,
    }),
    ...annotationsEndpoints(services.annotations, listing),
    ...documentSnapshotEndpoints(services.documentSnapshots),
    ...versionsEndpoints(services.versions, services.annotationVersions, listing, {
      db: services.versions.db,
      documents: services.liveDocuments,
    }),
    ...splitsAndArtifactsEndpoints(services.splits, services.artifacts),
    ...exportFormatsEndpoints(services.exportFormats, listing),
    ...interchangeEndpoints(services.exports, services.imports, services.splits),
    ...verificationsEndpoints(services.verifications, listing),
    ...datasetsEndpoints(services.datasets, {
      storage: services.storage,
      maxUploadBytes: config.maxUploadBytes,
    }),
  ];
}

/** Assembles the Koa application: logging, errors, health, docs, authentication, the API, the client. */
export function createApp(deps: AppDeps): { app: Koa; services: Services } {
  const { config, db, logger } = deps;
  const app = new Koa({ proxy: config.trustProxy });
  const services = createServices(db, config, deps.tilerSecret, logger);
  const endpoints = apiEndpoints(services, config);
  let openApi: unknown;
  const getOpenApi = () => (openApi ??= buildOpenApi(endpoints, deps.version ?? '0.0.0'));

  app.use(requestLogMiddleware(logger));
  app.use(securityHeadersMiddleware());
  app.use(errorMiddleware());
  const health = healthRouter(db, deps.isShuttingDown ?? (() => false));
  app.use(health.routes());
  const docs = docsRouter(getOpenApi);
  app.use(docs.routes());
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '20mb',
      // Strict JSON: a body must be an object or array, as DRF's parser expects.
      jsonStrict: true,
      onError: (error) => {
        throw bodyError(error);
      },
    }),
  );
  app.use(authenticate(services.auth, new Set([LOGIN_PATH])));
  const api = new Router({ prefix: '/api/v1' });
  mountEndpoints(api, endpoints);
  app.use(api.routes());
  app.use(api.allowedMethods());
  app.use(pixelsRouter(services.images, services.tiler).routes());
  if (deps.clientDir !== undefined && existsSync(deps.clientDir)) {
    const indexFile = path.resolve(deps.clientDir, 'index.html');
    app.use(
      serve(deps.clientDir, {
        maxage: 3600_000,
        index: 'index.html',
        // index.html names the hashed assets of one build: a cached copy would outlive them.
        setHeaders: (res, file) => {
          if (file === indexFile) res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
    app.use(spaFallback(indexFile));
  }
  return { app, services };
}

/** Paths the browser app never owns: a miss there stays the server's 404. */
const SERVER_PATHS = /^\/(?:api(?:\/|$)|collab(?:\/|$)|images\/image\/|healthz$|readyz$)/;

/**
 * The browser app's addresses (/sets/3, /images/7, /account) are routes inside index.html: a page load
 * of one that matched no file gets index.html. Only GET/HEAD asking for HTML, so a missing script or
 * image still answers 404 instead of a page that would confuse its caller.
 */
function spaFallback(indexFile: string): Koa.Middleware {
  return async (ctx, next) => {
    const isPageLoad =
      (ctx.method === 'GET' || ctx.method === 'HEAD') &&
      ctx.get('accept').includes('text/html') &&
      !SERVER_PATHS.test(ctx.path);
    if (!isPageLoad) {
      await next();
      return;
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(indexFile);
  };
}
