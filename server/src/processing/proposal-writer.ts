import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { AppError } from '../errors/app-error.js';
import type { AnnotationsService } from '../resources/annotations/annotations.service.js';
import { creatorViewer } from './job-creator.js';
import { PluginResultsRepo, type UnwrittenProposal } from './plugin-results.repo.js';

/** Stored proposals read at a time. */
const BATCH = 2_000;
/**
 * Proposals per write into a live document. One write is one Yjs transaction, checked, applied,
 * projected and broadcast while the server's event loop waits, and each open client applies it in one
 * piece: smaller writes let people's edits through in between (bench/inference/live.js measures the
 * edit latency while 100,000 proposals arrive).
 */
export const PROPOSALS_PER_WRITE = 250;

/**
 * Writes stored proposals into the live documents through the one annotation write path (as the job's
 * creator, generated with their score), so open clients see them at once. Proposals are stored first:
 * a worker process without the live documents leaves them to the server, and a crash between store
 * and write is repaired by the next pass (the write is an upsert by uuid).
 */
export class ProposalWriter {
  constructor(
    private readonly db: Database,
    private readonly annotations: AnnotationsService,
    private readonly logger: Logger,
    private readonly perWrite = PROPOSALS_PER_WRITE,
  ) {}

  /** Writes every stored proposal not yet written; answers how many were written. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await new PluginResultsRepo(this.db).unwritten(BATCH);
      if (batch.length === 0) return total;
      total += await this.writeBatch(batch);
      if (batch.length < BATCH) return total;
    }
  }

  private async writeBatch(batch: readonly UnwrittenProposal[]): Promise<number> {
    const byJob = new Map<number, UnwrittenProposal[]>();
    for (const p of batch) {
      const proposals = byJob.get(p.job_id);
      if (proposals) proposals.push(p);
      else byJob.set(p.job_id, [p]);
    }
    let written = 0;
    for (const [job, proposals] of byJob) {
      const viewer = await creatorViewer(this.db, proposals[0]?.creator_id ?? null);
      for (let from = 0; from < proposals.length; from += this.perWrite) {
        written += await this.writeSlice(job, viewer, proposals.slice(from, from + this.perWrite));
      }
    }
    return written;
  }

  private async writeSlice(
    job: number,
    viewer: Viewer | undefined,
    proposals: readonly UnwrittenProposal[],
  ): Promise<number> {
    const repo = new PluginResultsRepo(this.db);
    const ids = proposals.map((p) => p.id);
    try {
      if (viewer === undefined) throw AppError.forbidden('The job has no active creator to write as.');
      await this.annotations.saveMany(
        viewer,
        proposals.map((p) => ({
          annotation_type: p.annotation_type_id,
          image: p.image_id,
          vector: p.vector,
          unique_identifier: p.annotation_uuid,
          deleted: p.withdrawn,
          description: '',
          generated: true,
          score: p.score,
        })),
      );
      await repo.markWritten(ids);
      return ids.length;
    } catch (error) {
      // A refusal (the creator lost the right, a type left the set) holds for every retry: drop them.
      if (!(error instanceof AppError) || error.code === 'service_unavailable') throw error;
      await repo.remove(ids);
      this.logger.warn(
        { job, proposals: ids.length, reason: error.message },
        'proposals refused by the write path',
      );
      return 0;
    }
  }
}
