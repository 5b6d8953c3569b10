import type { AnnotationVersion } from '@tessera/shared';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Queryable } from '../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../db/filters.js';
import { listPage } from '../db/list-query.js';
import { AppError } from '../errors/app-error.js';
import { versionVisible } from '../access/policy/visibility.js';
import { contentRow, liveRows } from './versions.repo.js';

export const annotationVersionFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'r.id' },
  version: { type: 'int', lookups: ['exact'], column: 'v.id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'r.image_id' },
  annotation_type: { type: 'int', lookups: ['exact', 'in'], column: 'r.annotation_type_id' },
  deleted: { type: 'bool', lookups: ['exact'], column: 'r.deleted' },
  unique_identifier: { type: 'text', lookups: ['exact'], column: 'r.unique_identifier::text' },
};

/**
 * EXACT's `annotations/annotation_versions/`: the annotations a version holds, from the frozen rows.
 * A row is shared by the consecutive versions in which the annotation did not change, so lists name
 * their version (`?version=`, required) and a retrieve answers the newest version holding the row.
 */
export class AnnotationVersionsService extends ResourceService<AnnotationVersion> {
  readonly name = 'annotation_versions';
  readonly filters = annotationVersionFilters;
  readonly relations = {
    version: 'set_versions',
    image: 'images',
    annotation: 'annotations',
    annotation_type: 'annotation_types',
  };

  constructor(private readonly db: Queryable) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const byId = filters.some((f) => f.name === 'id');
    if (!byId && !filters.some((f) => f.name === 'version')) {
      throw AppError.invalidField('version', 'Name the version: ?version=<id>.');
    }
    const q = new SqlConditions();
    q.add(versionVisible(q, viewer, 'v'));
    q.add('r.valid_from <= v.id AND (r.valid_to IS NULL OR r.valid_to > v.id)');
    q.addFilters(annotationVersionFilters, filters);
    const result = await listPage<AnnotationVersion>(this.db, {
      // The live side is looked up in the SELECT list, so only the rows of the page pay for it.
      select: () => `${byId ? 'DISTINCT ON (r.id)' : ''} r.id::float8 AS id, v.id AS version,
        (SELECT a.id FROM annotations a WHERE a.document = r.document AND a.unique_identifier = r.unique_identifier)
          AS annotation,
        r.unique_identifier, r.image_id AS image, r.annotation_type_id AS annotation_type, r.deleted, r.vector,
        NOT EXISTS (SELECT 1 FROM (${liveRows('a.document = r.document AND a.unique_identifier = r.unique_identifier')}) l
          WHERE ${contentRow('l')} IS NOT DISTINCT FROM ${contentRow('r')}) AS has_changes`,
      from: `version_annotations r
        JOIN set_version_documents d ON d.document = r.document
        JOIN set_versions v ON v.id = d.version_id`,
      conditions: q,
      orderBy: byId ? 'r.id, v.id DESC' : 'r.id',
      page,
    });
    return result;
  }
}
