import { createReadStream } from 'node:fs';
import {
  pluginListing,
  restPlugin,
  restPluginEnablement,
  restPluginEnablementWrite,
  restPluginJob,
  restPluginJobUpdate,
  restPluginJobWrite,
  restPluginResult,
  restPluginResultAnnotation,
  restPluginResultAnnotationWrite,
  restPluginResultBitmap,
  restPluginResultBitmapWrite,
  restPluginResultEntry,
  restPluginResultEntryWrite,
  restPluginResultWrite,
  restPluginWrite,
} from '@tessera/shared';
import { z } from 'zod';
import { crudEndpoints } from '../api/crud.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { Listing } from '../api/listing.js';
import { idParams, pathName } from '../api/path-params.js';
import { AppError } from '../errors/app-error.js';
import type { PluginHostService } from './plugin-host.service.js';
import type { PluginJobsService } from './plugin-jobs.service.js';
import type { PluginResultsService } from './plugin-results.service.js';
import { pluginRouteEndpoint, regionOfQuery } from './plugin-routes.js';
import type { PluginEnablementsService, PluginsService } from './plugins.service.js';

export interface ProcessingServices {
  readonly plugins: PluginsService;
  readonly enablements: PluginEnablementsService;
  readonly jobs: PluginJobsService;
  readonly results: PluginResultsService;
  readonly host: PluginHostService;
}

/** EXACT's processing API (plugins, jobs, results) and the plugin host's own routes. */
export function processingEndpoints(s: ProcessingServices, listing: Listing): Endpoint[] {
  return [
    ...crudEndpoints({
      path: '/processing/plugins/',
      policy: 'plugin.see',
      tag: 'processing',
      noun: 'plugin',
      resource: s.plugins,
      listing,
      output: restPlugin,
      create: {
        policy: 'superuser',
        body: restPluginWrite,
        run: (viewer, body) => s.plugins.create(viewer, body),
      },
    }),
    ...jobEndpoints(s, listing),
    ...resultEndpoints(s, listing),
    ...crudEndpoints({
      path: '/processing/pluginenablements/',
      policy: 'plugin.see',
      tag: 'processing',
      noun: 'plugin enablement',
      resource: s.enablements,
      listing,
      output: restPluginEnablement,
      create: {
        policy: 'image_set.administer',
        body: restPluginEnablementWrite,
        run: (viewer, body) => s.enablements.create(viewer, body),
      },
      remove: { policy: 'plugin.administer', run: (viewer, id) => s.enablements.remove(viewer, id) },
    }),
    ...hostEndpoints(s.host),
  ];
}

function jobEndpoints(s: ProcessingServices, listing: Listing): Endpoint[] {
  const action = (verb: 'cancel' | 'retry', summary: string) =>
    endpoint({
      method: 'post',
      path: `/processing/pluginjobs/:id/${verb}/`,
      params: idParams,
      tag: 'processing',
      policy: 'plugin_job.own-or-administer',
      summary,
      response: restPluginJob,
      async handler({ viewer, params, query }) {
        await s.jobs[verb](viewer, params.id);
        return { body: await listing.retrieve(s.jobs, viewer, params.id, query) };
      },
    });
  return [
    ...crudEndpoints({
      path: '/processing/pluginjobs/',
      policy: 'plugin_job.see',
      tag: 'processing',
      noun: 'plugin job',
      resource: s.jobs,
      listing,
      output: restPluginJob,
      create: {
        policy: 'image.annotate',
        body: restPluginJobWrite,
        run: (viewer, body) => s.jobs.create(viewer, body),
      },
      update: {
        policy: 'plugin_job.administer',
        put: restPluginJobUpdate,
        patch: restPluginJobUpdate.partial(),
        run: (viewer, id, body) => s.jobs.updateByWorker(viewer, id, body),
      },
    }),
    action('cancel', 'Cancels a queued or running job'),
    action('retry', 'Runs a failed or cancelled job again'),
    endpoint({
      method: 'post',
      path: '/processing/api/plugin_job/create/',
      tag: 'processing',
      policy: 'image.annotate',
      summary: "EXACT's form of creating a plugin job: {plugin, image}",
      body: restPluginJobWrite,
      response: restPluginJob,
      status: 201,
      async handler({ viewer, body, query }) {
        const id = await s.jobs.create(viewer, body);
        return { status: 201, body: await listing.retrieve(s.jobs, viewer, id, query) };
      },
    }),
  ];
}

function resultEndpoints(s: ProcessingServices, listing: Listing): Endpoint[] {
  const r = s.results;
  return [
    ...crudEndpoints({
      path: '/processing/pluginresults/',
      policy: 'plugin_job.see',
      tag: 'processing',
      noun: 'plugin result',
      resource: r.results,
      listing,
      output: restPluginResult,
      create: {
        policy: 'plugin_job.administer',
        body: restPluginResultWrite,
        run: (v, b) => r.createResult(v, b),
      },
    }),
    ...crudEndpoints({
      path: '/processing/pluginresultentrys/',
      policy: 'plugin_job.see',
      tag: 'processing',
      noun: 'plugin result entry',
      resource: r.entries,
      listing,
      output: restPluginResultEntry,
      create: {
        policy: 'plugin_job.administer',
        body: restPluginResultEntryWrite,
        run: (v, b) => r.createEntry(v, b),
      },
    }),
    ...crudEndpoints({
      path: '/processing/pluginresultannotations/',
      policy: 'plugin_job.see',
      tag: 'processing',
      noun: 'plugin result annotation',
      resource: r.annotations,
      listing,
      output: restPluginResultAnnotation,
      create: {
        policy: 'plugin_job.administer',
        body: restPluginResultAnnotationWrite,
        run: (v, b) => r.createAnnotation(v, b),
      },
    }),
    ...crudEndpoints({
      path: '/processing/pluginresultbitmaps/',
      policy: 'plugin_job.see',
      tag: 'processing',
      noun: 'plugin result bitmap',
      resource: r.bitmaps,
      listing,
      output: restPluginResultBitmap,
      create: {
        policy: 'plugin_job.administer',
        body: restPluginResultBitmapWrite,
        run: (v, b) => r.createBitmap(v, b),
      },
    }),
    endpoint({
      method: 'get',
      path: '/processing/pluginresultbitmaps/:id/bitmap/',
      params: idParams,
      tag: 'processing',
      policy: 'plugin_job.see',
      summary: "A bitmap result's image (PNG or JPEG)",
      async handler({ viewer, params, ctx }) {
        const { bytes, type } = await r.bitmapBytes(viewer, params.id);
        ctx.type = type;
        ctx.body = bytes;
        return { streamed: true };
      },
    }),
  ];
}

function hostEndpoints(host: PluginHostService): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/plugins/',
      tag: 'plugins',
      policy: 'signed-in',
      summary: 'The plugins loaded here (with ?image_set=, those enabled for that set)',
      response: pluginListing.array(),
      async handler({ viewer, query }) {
        const raw = query.image_set;
        if (raw !== undefined && (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)))
          throw AppError.invalidField('image_set', 'Enter a whole number.');
        return { body: await host.catalogue(viewer, raw === undefined ? undefined : Number(raw)) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/plugins/:name/panel.js',
      params: z.object({ name: pathName }),
      tag: 'plugins',
      policy: 'signed-in',
      summary: "A plugin's client panel, an ES module the workspace imports",
      async handler({ params, ctx }) {
        const file = await host.panelFile(params.name);
        ctx.type = 'text/javascript; charset=utf-8';
        ctx.set('cache-control', 'no-cache');
        ctx.body = createReadStream(file);
        return { streamed: true };
      },
    }),
    endpoint({
      method: 'get',
      path: '/processing/statistics/images/:id/',
      params: idParams,
      tag: 'plugins',
      policy: 'image.see',
      summary: 'Every plugin statistic over an image, or a region of it (?x=&y=&width=&height=)',
      async handler({ viewer, params, query }) {
        const region = regionOfQuery(
          Object.fromEntries(
            Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
          ),
        );
        return { body: await host.statistics(viewer, params.id, region) };
      },
    }),
    ...host.registry.routes().map(({ plugin, route }) => pluginRouteEndpoint(host, plugin, route)),
  ];
}
