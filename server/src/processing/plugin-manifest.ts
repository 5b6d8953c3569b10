import { z } from 'zod';
import type { JobPlugin, PixelRegion, PluginAnnotation, RgbPixels } from './plugin-api.js';

/**
 * What a plugin folder declares in `tessera-plugin.json`, validated when the folder is scanned: a
 * manifest that does not parse stops that plugin (and says why), never the server.
 */
export const pluginManifest = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/, 'A plugin name is 2-63 lower-case letters, digits and dashes.'),
  version: z.string().min(1).max(40),
  description: z.string().max(2000).default(''),
  author: z.string().max(200).default(''),
  /** The ES module (relative to the folder) whose default export is `activate(host)`. */
  main: z.string().regex(/^[\w./-]+\.m?js$/),
  /** A browser ES module the client loads as a panel in the workspace; served by the server. */
  panel: z
    .string()
    .regex(/^[\w./-]+\.m?js$/)
    .optional(),
  /**
   * Overlays drawn over the image: the panel module exports `overlays`, a draw function per name here
   * (processing/README.md); the workspace offers a toggle for each, labelled with its description.
   */
  overlays: z
    .array(z.strictObject({ name: z.string().min(1).max(80), description: z.string().max(500) }))
    .default([]),
});
export type PluginManifest = z.infer<typeof pluginManifest>;

/** The policies a plugin route may declare: its `:id` names an image or an image set. */
export const pluginRoutePolicies = ['image.see', 'image.annotate', 'image_set.see', 'signed-in'] as const;
export type PluginRoutePolicy = (typeof pluginRoutePolicies)[number];

/** What a plugin route's handler may do: read what the caller may see, nothing more. */
export interface PluginRouteContext {
  readonly viewer: { readonly id: number; readonly username: string };
  /** The `:id` of the path (an image's or an image set's, per the route's policy), already authorized. */
  readonly id: number | null;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The annotations of an image the caller sees (their own copy in blind sets), optionally in a region. */
  listAnnotations(imageId: number, region?: PixelRegion): Promise<readonly PluginAnnotation[]>;
  /** Pixels of an image the caller sees. */
  readPixels(imageId: number, region: PixelRegion, downsample?: number): Promise<RgbPixels>;
  readonly annotationTypes: (
    imageId: number,
  ) => Promise<readonly { id: number; name: string; vectorType: number }[]>;
}

/** A REST route a plugin adds below `/api/v1/plugins/<name>/`. The host checks the policy first. */
export interface PluginRoute {
  readonly method: 'get' | 'post';
  /** Below the plugin's prefix, with a trailing slash: `images/:id/counts/`. */
  readonly path: string;
  readonly policy: PluginRoutePolicy;
  readonly summary: string;
  handle(context: PluginRouteContext): Promise<unknown>;
}

/** A figure a plugin computes over an image or a region of it (per annotation type, per grade...). */
export interface PluginStatistic {
  readonly name: string;
  readonly description: string;
  compute(
    context: Pick<PluginRouteContext, 'listAnnotations' | 'annotationTypes'>,
    imageId: number,
    region?: PixelRegion,
  ): Promise<Record<string, number>>;
}

/** What a plugin contributes; every part optional. */
export interface PluginContribution {
  readonly jobs?: readonly JobPlugin[];
  readonly routes?: readonly PluginRoute[];
  readonly statistics?: readonly PluginStatistic[];
}

/**
 * The one object a plugin's `activate` receives: its own manifest and a logger. No database handle,
 * no services: what a plugin may touch reaches it through the contexts of its jobs and routes.
 */
export interface PluginHost {
  readonly manifest: Readonly<PluginManifest>;
  log(message: string): void;
}

/** A plugin as the registry holds it: manifest, contribution, and where its browser files are. */
export interface LoadedPlugin {
  readonly manifest: PluginManifest;
  readonly contribution: PluginContribution;
  /** The folder of a folder plugin (its panel is served from it); null for built-ins. */
  readonly folder: string | null;
}

/** The shape `activate` must answer, checked at load: the host never trusts a plugin's types. */
export const pluginContributionShape = z.object({
  jobs: z
    .array(
      z.object({
        name: z.string().min(1).max(80),
        description: z.string().max(2000),
        // A plugin folder may bring its own copy of zod: a schema is whatever parses.
        settings: z.custom<z.ZodType>(
          (v) => typeof (v as { safeParse?: unknown } | null)?.safeParse === 'function',
          'settings must be a zod schema',
        ),
        run: z.custom<JobPlugin['run']>((v) => typeof v === 'function'),
      }),
    )
    .optional(),
  routes: z
    .array(
      z.object({
        method: z.enum(['get', 'post']),
        path: z.string().regex(/^([a-z0-9_-]+\/|:id\/)+$/, 'A route path is segments with a trailing slash.'),
        policy: z.enum(pluginRoutePolicies),
        summary: z.string().min(1).max(200),
        handle: z.custom<PluginRoute['handle']>((v) => typeof v === 'function'),
      }),
    )
    .optional(),
  statistics: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/),
        description: z.string().max(2000),
        compute: z.custom<PluginStatistic['compute']>((v) => typeof v === 'function'),
      }),
    )
    .optional(),
});
