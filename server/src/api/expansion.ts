import type { Viewer } from '../auth/viewer.js';
import { isObject, type FieldTree, type JsonObject } from './flex-fields.js';

/** A resource that can stand in for its id inside another resource's answer. */
export interface ExpandableResource {
  /** Fields of this resource that hold ids of another resource, and that resource's name. */
  readonly relations: Readonly<Record<string, string>>;
  /** The presented objects with these ids that the viewer may see (others are left out). */
  load(viewer: Viewer, ids: readonly number[]): Promise<JsonObject[]>;
}

/** Replaces ids by objects for `?expand=`, batching one load per relation and level. */
export class Expander {
  private readonly resources = new Map<string, ExpandableResource>();

  register(name: string, resource: ExpandableResource): void {
    this.resources.set(name, resource);
  }

  async expand(viewer: Viewer, resourceName: string, objects: JsonObject[], tree: FieldTree): Promise<void> {
    const resource = this.resources.get(resourceName);
    if (!resource || tree.size === 0 || objects.length === 0) return;
    for (const [field, subtree] of tree) {
      const target = resource.relations[field];
      if (target === undefined) continue;
      const targetResource = this.resources.get(target);
      if (!targetResource) continue;
      const ids = new Set<number>();
      for (const o of objects) for (const id of idsIn(o[field])) ids.add(id);
      if (ids.size === 0) continue;
      const loaded = await targetResource.load(viewer, [...ids]);
      await this.expand(viewer, target, loaded, subtree);
      const byId = new Map(loaded.map((o) => [o.id as number, o]));
      for (const o of objects) {
        const value = o[field];
        if (Array.isArray(value)) {
          o[field] = value.flatMap((id) => (typeof id === 'number' && byId.has(id) ? [byId.get(id)] : []));
        } else if (typeof value === 'number') {
          // Something the viewer may not see stays a bare id rather than vanishing.
          o[field] = byId.get(value) ?? value;
        }
      }
    }
  }
}

function idsIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  if (isObject(value) && typeof value.id === 'number') return [value.id];
  return [];
}
