import { existsSync } from 'node:fs';
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
import { ImageJobRunner } from '../images/job-runner.js';
import { imagesEndpoints } from '../images/images.routes.js';
import { FrameDescriptionsService } from '../images/frame-descriptions.service.js';
import { ImagesService } from '../images/images.service.js';
import { pixelsRouter } from '../images/pixels.routes.js';
import { ImageStorage } from '../images/storage.js';
import { TilerClient } from '../images/tiler.client.js';
import { docsRouter } from './docs.routes.js';
import { bodyError, errorMiddleware } from './error.middleware.js';
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
  return {
    liveDocuments,
    annotations,
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
    ...verificationsEndpoints(services.verifications, listing),
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
    app.use(serve(deps.clientDir, { maxage: 3600_000, index: 'index.html' }));
  }
  return { app, services };
}
