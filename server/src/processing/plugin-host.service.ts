import type { PluginListing } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import { requireOnImageSet } from '../access/policy/enforce.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { TilerClient } from '../ingest/tiler.client.js';
import type { AnnotationsService } from '../resources/annotations/annotations.service.js';
import type { ImagesService } from '../resources/images/images.service.js';
import { pixelSourceOf, typesOfImage, visibleAnnotations } from './job-context.js';
import { inside } from './plugin-loader.js';
import type { PluginRouteContext, PluginRoutePolicy } from './plugin-manifest.js';
import type { PluginRegistry } from './plugin-registry.js';
import { PluginsRepo } from './plugins.repo.js';
import { readPixels } from './pixel-reader.js';

/**
 * The host side of plugin routes, panels and statistics: it authorizes each call by the route's
 * policy and hands the plugin a context that reads only as the caller (plugin-manifest.ts).
 */
export class PluginHostService {
  constructor(
    private readonly db: Database,
    readonly registry: PluginRegistry,
    private readonly images: ImagesService,
    private readonly annotations: AnnotationsService,
    private readonly tiler: TilerClient,
  ) {}

  /** Demands the route's policy on its `:id` (an image, or an image set): 404 unseen, 403 refused. */
  async authorize(viewer: Viewer, policy: PluginRoutePolicy, id: number | null): Promise<void> {
    if (policy === 'signed-in') return;
    if (id === null) throw AppError.notFound();
    if (policy === 'image_set.see') {
      await requireOnImageSet(this.db, viewer, id, policy);
      return;
    }
    const image = await this.images.find(viewer, id);
    if (!image) throw AppError.notFound();
    if (policy === 'image.annotate') await requireOnImageSet(this.db, viewer, image.image_set, policy);
  }

  /** The context of one route call: reads as the caller, so it sees only what they may. */
  routeContext(
    viewer: Viewer,
    id: number | null,
    query: Record<string, string | undefined>,
  ): PluginRouteContext {
    return Object.freeze({
      viewer: Object.freeze({ id: viewer.id, username: viewer.username }),
      id,
      query: Object.freeze({ ...query }),
      listAnnotations: (imageId: number, region?: Parameters<PluginRouteContext['listAnnotations']>[1]) =>
        this.visibleImage(viewer, imageId).then(() =>
          visibleAnnotations(this.annotations, viewer, imageId, region),
        ),
      readPixels: async (
        imageId: number,
        region: Parameters<PluginRouteContext['readPixels']>[1],
        downsample?: number,
      ) =>
        readPixels(
          this.tiler,
          await pixelSourceOf(this.db, this.images, viewer, imageId),
          region,
          downsample,
        ),
      annotationTypes: (imageId: number) =>
        this.visibleImage(viewer, imageId).then(() => typesOfImage(this.db, imageId)),
    });
  }

  /** The plugins loaded here; with an image set, only those enabled for it (or for one of its products). */
  async catalogue(viewer: Viewer, imageSetId?: number): Promise<PluginListing[]> {
    const repo = new PluginsRepo(this.db);
    if (imageSetId !== undefined) await requireOnImageSet(this.db, viewer, imageSetId, 'image_set.see');
    const listings: PluginListing[] = [];
    for (const plugin of this.registry.all()) {
      const row = await repo.byPackage(plugin.manifest.name);
      if (imageSetId !== undefined && (row === undefined || !(await repo.enabledFor(row.id, imageSetId))))
        continue;
      const c = plugin.contribution;
      const jobs = [];
      for (const job of c.jobs ?? []) {
        jobs.push({
          name: job.name,
          description: job.description,
          plugin: (await repo.byPackage(job.name))?.id ?? null,
        });
      }
      listings.push({
        name: plugin.manifest.name,
        version: plugin.manifest.version,
        description: plugin.manifest.description,
        jobs,
        statistics: (c.statistics ?? []).map((s) => ({ name: s.name, description: s.description })),
        overlays: plugin.manifest.overlays,
        routes: (c.routes ?? []).map((r) => ({ method: r.method, path: r.path, summary: r.summary })),
        panel:
          plugin.manifest.panel && plugin.folder ? `/api/v1/plugins/${plugin.manifest.name}/panel.js` : null,
      });
    }
    return listings;
  }

  /** The absolute path of a plugin's panel module (it must lie inside the plugin's folder). */
  async panelFile(name: string): Promise<string> {
    const plugin = this.registry.byName(name);
    if (!plugin?.manifest.panel || plugin.folder === null) throw AppError.notFound();
    return inside(plugin.folder, plugin.manifest.panel);
  }

  /** Every statistic of every loaded plugin over an image the caller sees (or a region of it). */
  async statistics(
    viewer: Viewer,
    imageId: number,
    region?: { x: number; y: number; width: number; height: number },
  ) {
    await this.visibleImage(viewer, imageId);
    const context = this.routeContext(viewer, imageId, {});
    const answers: { plugin: string; name: string; values: Record<string, number> }[] = [];
    for (const { plugin, statistic } of this.registry.statistics()) {
      answers.push({
        plugin,
        name: statistic.name,
        values: await statistic.compute(context, imageId, region),
      });
    }
    return answers;
  }

  private async visibleImage(viewer: Viewer, imageId: number): Promise<void> {
    if (!(await this.images.find(viewer, imageId))) throw AppError.notFound();
  }
}
