import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage, type ListQuery } from '../../db/list-query.js';
import { addAnnotationVisibility } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';
import { ANNOTATION_PAGE_JSON_SQL } from './annotation-json.js';

/** EXACT's annotation filters; the vector bounds form a real viewport query on the bounding boxes. */
export const annotationFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'a.id' },
  time: { type: 'timestamp', lookups: ['exact', 'lte', 'gte', 'range'], column: 'a.time' },
  last_edit_time: {
    type: 'timestamp',
    lookups: ['exact', 'lte', 'gte', 'range'],
    column: 'a.last_edit_time',
  },
  unique_identifier: {
    type: 'text',
    lookups: ['exact', 'contains', 'in'],
    column: 'a.unique_identifier::text',
  },
  description: { type: 'text', lookups: ['exact', 'contains'], column: 'a.description' },
  deleted: { type: 'bool', lookups: ['exact'], column: 'a.deleted' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'a.image_id' },
  image__image_set: { type: 'int', lookups: ['exact', 'in'], column: 'a.image_set_id' },
  user: { type: 'int', lookups: ['exact', 'in'], column: 'a.user_id' },
  annotation_type: { type: 'int', lookups: ['exact', 'in'], column: 'a.annotation_type_id' },
  verified_by: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM annotation_verifications v WHERE v.annotation_id = a.id AND v.verified AND ${c('v.user_id')})`,
  },
  vector_type: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM annotation_types t WHERE t.id = a.annotation_type_id AND ${c('t.vector_type')})`,
  },
  // The viewport: annotations whose bounding box reaches into [x_min, x_max] x [y_min, y_max].
  vector_x_min: { type: 'float', lookups: ['exact'], column: 'a.x_max', compareAs: 'gte' },
  vector_x_max: { type: 'float', lookups: ['exact'], column: 'a.x_min', compareAs: 'lte' },
  vector_y_min: { type: 'float', lookups: ['exact'], column: 'a.y_max', compareAs: 'gte' },
  vector_y_max: { type: 'float', lookups: ['exact'], column: 'a.y_min', compareAs: 'lte' },
};

export interface AnnotationRow {
  id: number;
  unique_identifier: string;
  document: string;
  image_id: number;
  image_set_id: number;
  annotation_type_id: number;
  vector: Record<string, number> | null;
  deleted: boolean;
  description: string;
  meta_data: unknown;
  user_id: number | null;
  time: string;
  last_editor_id: number | null;
  last_edit_time: string;
  generated: boolean;
  score: number | null;
}

/** A page as `listPage` takes it: limit/offset, or a keyset start and a known count from a cursor. */
type PageOf = NonNullable<ListQuery['page']>;

/** The conditions of a list: what the viewer may see, narrowed by the request's filters. */
function visibleMatching(viewer: ListViewer, filters: readonly ParsedFilter[]): SqlConditions {
  const q = new SqlConditions();
  addAnnotationVisibility(q, viewer);
  q.addFilters(annotationFilters, filters);
  return q;
}

/**
 * Reads of the annotation projection. Visible: annotations of visible image sets; in blind sets only
 * one's own copy's annotations, unless one administers the team.
 */
export class AnnotationsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return listPage<AnnotationRow>(this.db, {
      select:
        () => `a.id, a.unique_identifier, a.document, a.image_id, a.image_set_id, a.annotation_type_id, a.vector,
        a.deleted, a.description, a.meta_data, a.user_id, a.time, a.last_editor_id, a.last_edit_time, a.generated, a.score`,
      from: 'annotations a',
      conditions: visibleMatching(viewer, filters),
      orderBy: 'a.id',
      page,
    });
  }

  /**
   * One page of the list as JSON text (`annotation-json.ts`), with its last id and the count `list`
   * gives. The text is built in the outer query, after the LIMIT, for the page's rows only: in the
   * page query's own SELECT list PostgreSQL would build it for every candidate row before sorting
   * whenever the plan sorts (as it does on a freshly written, not yet analysed table).
   */
  async listJson(
    viewer: ListViewer,
    filters: readonly ParsedFilter[],
    page: PageOf,
  ): Promise<{ count: number; lastId: number | undefined; json: string }> {
    const matching = visibleMatching(viewer, filters);
    const onPage = matching.fork();
    // As listPage: after a verified cursor, a keyset range and the count it carries; else an OFFSET.
    if (page.after !== undefined) onPage.add(`a.id > ${onPage.param(page.after)}`);
    const skip = page.after === undefined ? ` OFFSET ${page.offset}` : '';
    const knownCount = page.after === undefined ? undefined : page.knownCount;
    const [built, counted] = await Promise.all([
      this.db.query<{ json: string; last_id: number | null }>(
        `SELECT ${ANNOTATION_PAGE_JSON_SQL}
         FROM (SELECT a.* FROM annotations a ${onPage.where()} ORDER BY a.id LIMIT ${page.limit}${skip}) a`,
        onPage.params,
      ),
      knownCount === undefined
        ? this.db.query<{ n: number }>(
            `SELECT count(*) AS n FROM annotations a ${matching.where()}`,
            matching.params,
          )
        : undefined,
    ]);
    return {
      count: knownCount ?? counted?.[0]?.n ?? 0,
      lastId: built[0]?.last_id ?? undefined,
      json: built[0]?.json ?? '[]',
    };
  }

  /** The projected ids of annotations of a document, by unique identifier, whoever asks (after a write). */
  async idsByDocument(document: string, uuids: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.query<{ id: number; unique_identifier: string }>(
      'SELECT id, unique_identifier FROM annotations WHERE document = $1 AND unique_identifier = ANY($2::uuid[])',
      [document, uuids],
    );
    return new Map(rows.map((r) => [r.unique_identifier, r.id]));
  }

  /**
   * The documents of an image (or blind copy) `base` with regions that hold these annotations now
   * (rule G1: an annotation is written where it is); uuids absent from the projection are left out.
   */
  async documentsHolding(base: string, uuids: readonly string[]): Promise<Map<string, string>> {
    if (uuids.length === 0) return new Map();
    const rows = await this.db.query<{ document: string; unique_identifier: string }>(
      `SELECT document, unique_identifier FROM annotations
       WHERE unique_identifier = ANY($2::uuid[]) AND (document = $1 OR starts_with(document, $1 || '.region'))`,
      [base, uuids],
    );
    return new Map(rows.map((r) => [r.unique_identifier, r.document]));
  }

  /** The documents of `base` (with its regions) that hold any projected annotation. */
  async documentsOfBase(imageId: number, base: string): Promise<string[]> {
    const rows = await this.db.query<{ document: string }>(
      `SELECT DISTINCT document FROM annotations
       WHERE image_id = $2 AND (document = $1 OR starts_with(document, $1 || '.region')) ORDER BY document`,
      [base, imageId],
    );
    return rows.map((r) => r.document);
  }
}
