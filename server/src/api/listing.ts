import type { Page } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import { parseFilters, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { AppError } from '../errors/app-error.js';
import type { RawQuery } from './endpoint.js';
import type { Expander } from './expansion.js';
import { parseFlexRequest, selectFields, type JsonObject } from './flex-fields.js';
import { cursorScope, PageCursors } from './page-cursor.js';
import { pageLinks, parsePageRequest, type PageRequest } from './pagination.js';

/** A resource's read side as the list and retrieve routes need it. */
export interface ReadableResource {
  readonly name: string;
  readonly filters: FilterSpec;
  list(
    viewer: Viewer,
    filters: readonly ParsedFilter[],
    page: PageRequest,
  ): Promise<{ count: number; rows: JsonObject[] }>;
  /** The object if the viewer may see it, else undefined (answered as 404). */
  find(viewer: Viewer, id: number): Promise<JsonObject | undefined>;
}

/** Pagination, filters, expand/fields/omit: the same for every list route. */
export class Listing {
  private readonly cursors = new PageCursors();

  constructor(
    private readonly expander: Expander,
    private readonly maxPageSize: number,
  ) {}

  async list(
    resource: ReadableResource,
    viewer: Viewer,
    query: RawQuery,
    url: URL,
  ): Promise<Page<JsonObject>> {
    const requested = parsePageRequest(query, this.maxPageSize);
    const filters = parseFilters(resource.filters, query);
    const flex = parseFlexRequest(query);
    const scope = cursorScope(viewer.id, resource.name, url);
    const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
    const page = { ...requested, ...this.cursors.read(cursor, scope, requested.offset) };
    const { count, rows } = await resource.list(viewer, filters, page);
    const lastId = rows.at(-1)?.id;
    const nextCursor =
      typeof lastId === 'number'
        ? (offset: number) => this.cursors.sign(scope, offset, { after: lastId, knownCount: count })
        : undefined;
    await this.expander.expand(viewer, resource.name, rows, flex.expand);
    return {
      count,
      ...pageLinks(url, requested, count, nextCursor),
      results: rows.map((r) => selectFields(r, flex.fields, flex.omit)),
    };
  }

  async retrieve(
    resource: ReadableResource,
    viewer: Viewer,
    id: number,
    query: RawQuery,
  ): Promise<JsonObject> {
    const object = await resource.find(viewer, id);
    if (!object) throw AppError.notFound();
    return this.shape(resource.name, viewer, object, query);
  }

  /** Applies expand/fields/omit to one object (retrieve, and the answers of create and update). */
  async shape(
    resourceName: string,
    viewer: Viewer,
    object: JsonObject,
    query: RawQuery,
  ): Promise<JsonObject> {
    const flex = parseFlexRequest(query);
    await this.expander.expand(viewer, resourceName, [object], flex.expand);
    return selectFields(object, flex.fields, flex.omit);
  }
}
