import type { Viewer } from '../auth/viewer.js';
import type { FilterSpec, ParsedFilter } from '../db/filters.js';
import type { ExpandableResource } from './expansion.js';
import type { JsonObject } from './flex-fields.js';
import type { ReadableResource } from './listing.js';

/**
 * The read side every resource service shares: one visibility-aware `list`, from which retrieving one
 * object and loading objects for `?expand=` follow, so all three apply the same rule.
 */
export abstract class ResourceService<T extends JsonObject> implements ReadableResource, ExpandableResource {
  abstract readonly name: string;
  abstract readonly filters: FilterSpec;
  abstract readonly relations: Readonly<Record<string, string>>;

  /** The objects the viewer may see, filtered and paged; the only place visibility is decided. */
  abstract list(
    viewer: Viewer,
    filters: readonly ParsedFilter[],
    page?: { limit: number; offset: number },
  ): Promise<{ count: number; rows: T[] }>;

  /** One object if the viewer may see it. */
  async find(viewer: Viewer, id: number): Promise<T | undefined> {
    return (await this.list(viewer, [{ name: 'id', lookup: 'exact', value: id }])).rows[0];
  }

  /** The objects with these ids that the viewer may see. */
  async load(viewer: Viewer, ids: readonly number[]): Promise<T[]> {
    return (await this.list(viewer, [{ name: 'id', lookup: 'in', value: ids }])).rows;
  }
}
