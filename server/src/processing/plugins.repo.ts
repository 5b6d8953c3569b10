import type { Queryable } from '../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { insertedId } from '../db/inserted-id.js';
import { listPage } from '../db/list-query.js';
import { imageSetVisible } from '../access/policy/visibility.js';
import type { ListViewer } from '../resources/users/users.repo.js';

export const pluginFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'p.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'p.name' },
  package: { type: 'text', lookups: ['exact', 'contains'], column: 'p.package' },
};

export const enablementFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'e.id' },
  plugin: { type: 'int', lookups: ['exact', 'in'], column: 'e.plugin_id' },
  image_set: { type: 'int', lookups: ['exact', 'in'], column: 'e.image_set_id' },
  product: { type: 'int', lookups: ['exact', 'in'], column: 'e.product_id' },
};

// Types, not interfaces: rows are JSON objects the shared Listing shapes.
/** What a plugin declares about itself (a host plugin's manifest, an external plugin's registration). */
export type PluginFields = {
  name: string;
  package: string;
  author: string;
  contact: string;
  abouturl: string;
  icon: string;
  description: string;
};

export type PluginRow = PluginFields & {
  id: number;
  runner: 'host' | 'external';
  products: number[];
  image_sets: number[];
};

export interface EnablementRow {
  id: number;
  plugin_id: number;
  image_set_id: number | null;
  product_id: number | null;
}

/** The declared fields in the column order both inserts name: $1 to $7. */
function declaredValues(f: PluginFields): string[] {
  return [f.name, f.package, f.author, f.contact, f.abouturl, f.icon, f.description];
}

/** Plugins (every signed-in user sees the catalogue) and where each is enabled. */
export class PluginsRepo {
  constructor(private readonly db: Queryable) {}

  async list(filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions().addFilters(pluginFilters, filters);
    return listPage<PluginRow>(this.db, {
      select:
        () => `p.id, p.name, p.package, p.author, p.contact, p.abouturl, p.icon, p.description, p.runner,
        ARRAY(SELECT e.product_id FROM plugin_enablements e WHERE e.plugin_id = p.id AND e.product_id IS NOT NULL
          ORDER BY e.product_id) AS products,
        ARRAY(SELECT e.image_set_id FROM plugin_enablements e WHERE e.plugin_id = p.id AND e.image_set_id IS NOT NULL
          ORDER BY e.image_set_id) AS image_sets`,
      from: 'plugins p',
      conditions: q,
      orderBy: 'p.id',
      page,
    });
  }

  async byPackage(pkg: string): Promise<{ id: number; runner: PluginRow['runner'] } | undefined> {
    const rows = await this.db.query<{ id: number; runner: PluginRow['runner'] }>(
      'SELECT id, runner FROM plugins WHERE package = $1',
      [pkg],
    );
    return rows[0];
  }

  async byId(id: number): Promise<{ id: number; package: string; runner: PluginRow['runner'] } | undefined> {
    const rows = await this.db.query<{ id: number; package: string; runner: PluginRow['runner'] }>(
      'SELECT id, package, runner FROM plugins WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  /** Records a plugin this process runs (built-in or from the plugins folder); its row id stays. */
  async upsertHost(fields: PluginFields): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO plugins (name, package, author, contact, abouturl, icon, description, runner)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'host')
       ON CONFLICT (package) DO UPDATE SET name = EXCLUDED.name, author = EXCLUDED.author,
         description = EXCLUDED.description, runner = 'host'
       RETURNING id`,
      declaredValues(fields),
    );
    return insertedId(rows);
  }

  /** A plugin an EXACT-style worker registers over the API; it runs outside Tessera. */
  async insertExternal(fields: PluginFields, creatorId: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO plugins (name, package, author, contact, abouturl, icon, description, runner, creator_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'external', $8) RETURNING id`,
      [...declaredValues(fields), creatorId],
    );
    return insertedId(rows);
  }

  /** Whether the plugin is enabled for the set, or for a product attached to the set. */
  async enabledFor(pluginId: number, imageSetId: number): Promise<boolean> {
    const rows = await this.db.query<{ enabled: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM plugin_enablements e WHERE e.plugin_id = $1 AND (e.image_set_id = $2
         OR e.product_id IN (SELECT product_id FROM product_image_sets WHERE image_set_id = $2))) AS enabled`,
      [pluginId, imageSetId],
    );
    return rows[0]?.enabled === true;
  }

  /** The enablements on sets and products the viewer sees. */
  async listEnablements(
    viewer: ListViewer,
    filters: readonly ParsedFilter[],
    page?: { limit: number; offset: number },
  ) {
    const q = new SqlConditions();
    q.add(`(e.image_set_id IS NOT NULL AND EXISTS (SELECT 1 FROM image_sets s WHERE s.id = e.image_set_id
        AND ${imageSetVisible(q, viewer, 's')}))
      OR (e.product_id IS NOT NULL AND EXISTS (SELECT 1 FROM products pr WHERE pr.id = e.product_id AND (${
        viewer.isSuperuser
          ? 'true'
          : `EXISTS (SELECT 1 FROM team_memberships m WHERE m.team_id = pr.team_id AND m.user_id = ${q.param(viewer.id)})`
      })))`);
    q.addFilters(enablementFilters, filters);
    return listPage<EnablementRow>(this.db, {
      select: () => 'e.id, e.plugin_id, e.image_set_id, e.product_id',
      from: 'plugin_enablements e',
      conditions: q,
      orderBy: 'e.id',
      page,
    });
  }

  async enablementById(id: number): Promise<EnablementRow | undefined> {
    const rows = await this.db.query<EnablementRow>(
      'SELECT id, plugin_id, image_set_id, product_id FROM plugin_enablements WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  async insertEnablement(pluginId: number, target: { imageSetId: number | null; productId: number | null }) {
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO plugin_enablements (plugin_id, image_set_id, product_id) VALUES ($1, $2, $3) RETURNING id',
      [pluginId, target.imageSetId, target.productId],
    );
    return insertedId(rows);
  }

  async deleteEnablement(id: number): Promise<void> {
    await this.db.query('DELETE FROM plugin_enablements WHERE id = $1', [id]);
  }
}
