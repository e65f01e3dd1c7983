import { AppError } from '../errors/index.ts';
import type { Db } from '../store/schema.ts';
import type { JobRegistry } from './job-kind.ts';
import { enqueueJobs, type NewJob } from './queue.ts';

/**
 * Enqueues jobs of registered kinds, taking each kind's attempt and time limits unless the job sets
 * its own; an unregistered type is JOB_TYPE_UNKNOWN, so no job is queued that no worker can run.
 * Services call this inside the transaction of the change that asks for the work.
 */
export async function enqueue<D>(
  db: Db,
  registry: JobRegistry<D>,
  jobs: readonly NewJob[],
  options: { readonly bulkId?: string; readonly createdBy?: number | null } = {},
): Promise<{ bulkId: string; jobIds: string[] }> {
  const filled = jobs.map((job) => {
    const kind = registry.get(job.type);
    if (!kind)
      throw new AppError('JOB_TYPE_UNKNOWN', `No worker runs jobs of type ${JSON.stringify(job.type)}.`);
    return {
      ...job,
      maxAttempts: job.maxAttempts ?? kind.maxAttempts,
      timeoutSeconds: job.timeoutSeconds ?? kind.timeoutSeconds,
    };
  });
  return enqueueJobs(db, filled, options);
}
