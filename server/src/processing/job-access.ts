import type { EndpointPolicy } from '../api/endpoint-policy.js';
import type { Viewer } from '../auth/viewer.js';
import { requireInImageSet } from '../access/policy/enforce.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { PluginJobsRepo, type PluginJobRow } from './plugin-jobs.repo.js';

/**
 * Demands `policy` on a plugin job (rules.ts P9: seen where its proposals are, the creator's copy in
 * blind sets). `named` is the body field that named the job: an unseen job there is DRF's 400.
 */
export async function requireJob(
  db: Queryable,
  viewer: Viewer,
  jobId: number,
  policy: EndpointPolicy,
  named?: string,
): Promise<PluginJobRow> {
  const job = await new PluginJobsRepo(db).byId(jobId);
  const refuse = () =>
    named === undefined
      ? AppError.notFound()
      : AppError.invalidField(named, `Invalid pk "${jobId}" - object does not exist.`);
  if (!job) throw refuse();
  try {
    await requireInImageSet(
      db,
      viewer,
      { setId: job.image_set_id, owner: job.creator_id, copyOwner: job.creator_id },
      policy,
      'You may not change this job.',
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw refuse();
    throw error;
  }
  return job;
}
