import type { RestVerification, RestVerificationChange, RestVerificationWrite } from '@tessera/shared';
import { ResourceService } from '../../api/resource-service.js';
import type { AnnotationsService } from '../annotations/annotations.service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { formatTimestamp } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { VerificationsRepo, verificationFilters, type VerificationRow } from './verifications.repo.js';

/**
 * EXACT's `annotations/verifications/`: reads from the projection, writes as the caller's own
 * verification in the annotation's live document (the one write path), so open clients see them.
 * Verifications are changed, never removed: the document keeps one verdict per annotation and user.
 */
export class VerificationsService extends ResourceService<RestVerification> {
  readonly name = 'verifications';
  readonly filters = verificationFilters;
  readonly relations = { annotation: 'annotations', user: 'users' };

  constructor(
    private readonly db: Database,
    private readonly annotations: AnnotationsService,
  ) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new VerificationsRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map(presentVerification) };
  }

  /** Verifies (or rejects) an annotation as the caller; answers the row and whether it is new. */
  async save(viewer: Viewer, input: RestVerificationWrite): Promise<{ id: number; created: boolean }> {
    if (input.user !== undefined && input.user !== viewer.id)
      throw AppError.forbidden('You may only verify annotations as yourself.');
    const { created } = await this.annotations.verify(viewer, input.annotation, input.verified, input.time);
    const id = await new VerificationsRepo(this.db).idOf(input.annotation, viewer.id);
    if (id === undefined)
      throw new Error(`verification of ${input.annotation} is not in the projection after its write`);
    return { id, created };
  }

  /** Changes one's own verdict. */
  async change(viewer: Viewer, id: number, input: RestVerificationChange): Promise<void> {
    const existing = await this.find(viewer, id);
    if (!existing) throw AppError.notFound();
    if (existing.user !== viewer.id) throw AppError.forbidden('This is not your verification.');
    await this.annotations.verify(
      viewer,
      existing.annotation,
      input.verified ?? existing.verified,
      input.time,
    );
  }
}

function presentVerification(row: VerificationRow): RestVerification {
  return {
    id: row.id,
    annotation: row.annotation_id,
    user: row.user_id,
    time: formatTimestamp(row.time) ?? '',
    verified: row.verified,
  };
}
