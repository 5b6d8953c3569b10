import type { RestPlugin } from '@tessera/shared';
import type { z } from 'zod';
import type { restPluginEnablementWrite, restPluginWrite } from '@tessera/shared';
import { requireOnImageSet } from '../access/policy/enforce.js';
import { TeamAccess, invalidPk } from '../access/team-access.js';
import type { PageRequest } from '../api/pagination.js';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { AppError } from '../errors/app-error.js';
import { uniqueField } from '../errors/pg-errors.js';
import type { ProductsService } from '../resources/products/products.service.js';
import { PluginsRepo, enablementFilters, pluginFilters } from './plugins.repo.js';

/** EXACT's `processing/plugins/`: the catalogue every signed-in user reads; superusers add external ones. */
export class PluginsService extends ResourceService<RestPlugin> {
  readonly name = 'plugins';
  readonly filters = pluginFilters;
  readonly relations = {};

  constructor(private readonly db: Database) {
    super();
  }

  async list(_viewer: Viewer, filters: readonly ParsedFilter[], page?: PageRequest) {
    return new PluginsRepo(this.db).list(filters, page);
  }

  /** Registers a plugin whose jobs a worker outside Tessera runs (EXACT's create_plugin). */
  async create(viewer: Viewer, input: z.infer<typeof restPluginWrite>): Promise<number> {
    return uniqueField('package', 'A plugin with this package exists already.', () =>
      new PluginsRepo(this.db).insertExternal(input, viewer.id),
    );
  }
}

/** `processing/pluginenablements/`: where a plugin may run, per image set or per product. */
export class PluginEnablementsService {
  readonly name = 'plugin_enablements';
  readonly filters = enablementFilters;
  readonly relations = { plugin: 'plugins', image_set: 'image_sets', product: 'products' };

  constructor(
    private readonly db: Database,
    private readonly products: ProductsService,
  ) {}

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: PageRequest) {
    const { count, rows } = await new PluginsRepo(this.db).listEnablements(viewer, filters, page);
    return {
      count,
      rows: rows.map((r) => ({
        id: r.id,
        plugin: r.plugin_id,
        image_set: r.image_set_id,
        product: r.product_id,
      })),
    };
  }

  async find(viewer: Viewer, id: number) {
    return (await this.list(viewer, [{ name: 'id', lookup: 'exact', value: id }])).rows[0];
  }

  /** Enabling on a set is its team admins' (P5), on a product its team admins'. */
  async create(viewer: Viewer, input: z.infer<typeof restPluginEnablementWrite>): Promise<number> {
    const repo = new PluginsRepo(this.db);
    await this.requireTarget(viewer, { image_set: input.image_set ?? null, product: input.product ?? null });
    if (!(await repo.byId(input.plugin))) throw invalidPk('plugin', input.plugin);
    return uniqueField('plugin', 'The plugin is enabled there already.', () =>
      repo.insertEnablement(input.plugin, {
        imageSetId: input.image_set ?? null,
        productId: input.product ?? null,
      }),
    );
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const row = await this.find(viewer, id);
    if (!row) throw AppError.notFound();
    await this.requireTarget(viewer, row);
    await new PluginsRepo(this.db).deleteEnablement(id);
  }

  private async requireTarget(viewer: Viewer, target: { image_set: number | null; product: number | null }) {
    if (target.image_set !== null) {
      await requireOnImageSet(this.db, viewer, target.image_set, 'image_set.administer');
      return;
    }
    const product = target.product === null ? undefined : await this.products.find(viewer, target.product);
    if (!product) throw invalidPk('product', target.product ?? 0);
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, product.team);
  }
}
