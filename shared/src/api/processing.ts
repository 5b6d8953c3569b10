import { z } from 'zod';
import { anyVector } from '../annotations/vector.js';
import { id, text, timestamp } from './common.js';
import { drfBoolean, drfInteger, drfNumber } from './drf-fields.js';

/** EXACT's plugin: what an algorithm is called and where it comes from. */
export const restPlugin = z
  .object({
    id,
    name: z.string(),
    package: z.string(),
    author: z.string(),
    contact: z.string(),
    abouturl: z.string(),
    icon: z.string(),
    description: z.string(),
    /** `host`: Tessera's own workers run it; `external`: a worker written for EXACT polls for its jobs. */
    runner: z.enum(['host', 'external']),
    products: z.array(id),
    image_sets: z.array(id),
  })
  .meta({ id: 'Plugin' });
export type RestPlugin = z.infer<typeof restPlugin>;

/** Registering an external plugin (a worker written for EXACT does this at its first start). */
export const restPluginWrite = z.object({
  name: text().min(1).max(200),
  package: text().min(1).max(200),
  author: text().max(200).default(''),
  contact: text().max(200).default(''),
  abouturl: text().max(500).default(''),
  icon: text().max(500).default(''),
  description: text().max(2000).default(''),
  products: z.array(id).max(0, 'Enable a plugin through processing/pluginenablements/.').default([]),
  results: z.array(z.unknown()).max(0).default([]),
});

/** A plugin job: EXACT's fields, plus its state, the settings and the summary a host plugin wrote. */
export const restPluginJob = z
  .object({
    id,
    plugin: id,
    image: id,
    creator: id.nullable(),
    state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
    processing_complete: z.number().min(0).max(100),
    attached_worker: z.string().nullable(),
    created_time: timestamp,
    updated_time: timestamp,
    started_time: timestamp.nullable(),
    finished_time: timestamp.nullable(),
    eta_time: timestamp.nullable(),
    error_message: z.string().nullable(),
    error_detail: z.string().nullable(),
    summary: z.string().nullable(),
    settings: z.unknown(),
    result: id.nullable(),
  })
  .meta({ id: 'PluginJob' });
export type RestPluginJob = z.infer<typeof restPluginJob>;

/** `POST processing/pluginjobs/` and EXACT's `processing/api/plugin_job/create/`. */
export const restPluginJobWrite = z.object({
  plugin: id,
  image: id,
  settings: z.record(z.string(), z.unknown()).default({}),
});

/** What a worker changes on a job it holds (EXACT's partial_update_plugin_job); nothing else. */
export const restPluginJobUpdate = z.strictObject({
  attached_worker: text().max(200).nullable().optional(),
  processing_complete: drfNumber({ min: 0, max: 100 }).optional(),
  error_message: text().max(2000).nullable().optional(),
  error_detail: text().max(20_000).nullable().optional(),
  // EXACT's workers send these along; the server keeps its own clock.
  updated_time: z.unknown().optional(),
});

export const restPluginResult = z
  .object({
    id,
    job: id,
    plugin: id,
    image: id,
    created_time: timestamp,
    completed_time: timestamp.nullable(),
    entries: z.array(id),
  })
  .meta({ id: 'PluginResult' });
export const restPluginResultWrite = z.object({
  job: id,
  image: id.optional(),
  plugin: id.optional(),
  entries: z.array(z.unknown()).max(0).default([]),
});

export const restPluginResultEntry = z
  .object({
    id,
    pluginresult: id,
    name: z.string(),
    visible: z.boolean(),
    created_time: timestamp,
    annotation_results: z.array(id),
    bitmap_results: z.array(id),
  })
  .meta({ id: 'PluginResultEntry' });
export const restPluginResultEntryWrite = z.object({
  pluginresult: id,
  name: text().min(1).max(200),
  visible: drfBoolean().default(true),
  annotation_results: z.array(z.unknown()).max(0).default([]),
  bitmap_results: z.array(z.unknown()).max(0).default([]),
});

export const restPluginResultAnnotation = z
  .object({
    id,
    pluginresultentry: id,
    image: id,
    annotation_type: id,
    vector: z.record(z.string(), z.number()),
    score: z.number().nullable(),
    unique_identifier: z.string(),
    time: timestamp,
  })
  .meta({ id: 'PluginResultAnnotation' });
/** A proposal a worker posts: it becomes a generated annotation with its score in the live document. */
export const restPluginResultAnnotationWrite = z.object({
  pluginresultentry: id,
  annotation_type: id,
  image: id.optional(),
  vector: anyVector.refine((v) => v !== null, 'A proposal needs a vector.'),
  score: drfNumber({ min: 0, max: 1 }).nullable().default(null),
  meta_data: z.unknown().optional(),
});

export const restPluginResultBitmap = z
  .object({
    id,
    pluginresultentry: id,
    image: id,
    name: z.string(),
    channels: z.number().int(),
    frame: z.number().int(),
    meta_data: z.unknown(),
    time: timestamp,
  })
  .meta({ id: 'PluginResultBitmap' });
/** A bitmap result: a PNG or JPEG, base64 in the JSON body. */
export const restPluginResultBitmapWrite = z.object({
  pluginresultentry: id,
  name: text().min(1).max(200),
  channels: drfInteger({ min: 1, max: 4 }).default(3),
  frame: drfInteger({ min: 1, max: 100_000 }).default(1),
  meta_data: z.unknown().optional(),
  bitmap: z.base64().max(11_200_000, 'A bitmap is at most 8 MB.'),
});

/** Where a plugin is enabled: one image set or one product (and so every set the product is attached to). */
export const restPluginEnablement = z
  .object({ id, plugin: id, image_set: id.nullable(), product: id.nullable() })
  .meta({ id: 'PluginEnablement' });
export const restPluginEnablementWrite = z
  .object({ plugin: id, image_set: id.optional(), product: id.optional() })
  .refine((v) => (v.image_set === undefined) !== (v.product === undefined), {
    error: 'Name either an image_set or a product.',
  });

/** A loaded plugin as `GET plugins/` lists it: what it adds, and where its panel module is served. */
export const pluginListing = z
  .object({
    name: z.string(),
    version: z.string(),
    description: z.string(),
    jobs: z.array(z.object({ name: z.string(), description: z.string(), plugin: id.nullable() })),
    statistics: z.array(z.object({ name: z.string(), description: z.string() })),
    overlays: z.array(z.object({ name: z.string(), description: z.string() })),
    routes: z.array(z.object({ method: z.string(), path: z.string(), summary: z.string() })),
    /** The URL of its panel's ES module, when it has one. */
    panel: z.string().nullable(),
  })
  .meta({ id: 'PluginListing' });
export type PluginListing = z.infer<typeof pluginListing>;
