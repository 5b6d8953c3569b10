import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { addAnnotationVisibility } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';

/** EXACT's verification filters. */
export const verificationFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'v.id' },
  annotation: { type: 'int', lookups: ['exact', 'in'], column: 'v.annotation_id' },
  user: { type: 'int', lookups: ['exact', 'in'], column: 'v.user_id' },
  time: { type: 'timestamp', lookups: ['exact', 'lte', 'gte', 'range'], column: 'v.time' },
  verified: { type: 'bool', lookups: ['exact'], column: 'v.verified' },
  annotation__image: { type: 'int', lookups: ['exact', 'in'], column: 'a.image_id' },
};

export interface VerificationRow {
  id: number;
  annotation_id: number;
  user_id: number;
  time: string;
  verified: boolean;
}

/** Reads of the verification projection: a verification is seen wherever its annotation is. */
export class VerificationsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    addAnnotationVisibility(q, viewer);
    q.addFilters(verificationFilters, filters);
    return listPage<VerificationRow>(this.db, {
      select: () => 'v.id, v.annotation_id, v.user_id, v.time, v.verified',
      from: 'annotation_verifications v JOIN annotations a ON a.id = v.annotation_id',
      conditions: q,
      orderBy: 'v.id',
      page,
    });
  }

  /** The row of one user's verification of one annotation (after a write, whoever asks). */
  async idOf(annotationId: number, userId: number): Promise<number | undefined> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM annotation_verifications WHERE annotation_id = $1 AND user_id = $2',
      [annotationId, userId],
    );
    return rows[0]?.id;
  }
}
