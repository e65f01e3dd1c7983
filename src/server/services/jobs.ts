import { setTimeout as sleep } from 'node:timers/promises';
import { recordAudit } from '../../audit/record.ts';
import { type Actor, hasPermission } from '../../domain/actor.ts';
import { AppError, fieldError } from '../../errors/index.ts';
import { isTerminal } from '../../jobs/job-state.ts';
import { cancelJobs, type JobRecord, type JobState } from '../../jobs/queue.ts';
import { getJobs, type JobScope } from '../../jobs/search.ts';
import type { ServiceContext } from '../context.ts';

/** Application admins see every job; other users see the jobs they started. */
export function jobScope(actor: Actor): JobScope {
  if (hasPermission(actor, 'APPLICATION_ADMIN')) return {};
  return { createdBy: actor.type === 'USER_ACTOR' ? actor.id : -1 };
}

/** Loads one job in the actor's scope, or fails with JOB_NOT_FOUND. */
export async function getJob(ctx: ServiceContext, id: string): Promise<JobRecord> {
  const [job] = await getJobs(ctx.deps.store.db, [id], jobScope(ctx.actor));
  if (!job) throw new AppError('JOB_NOT_FOUND', `There is no job with id ${id}.`);
  return job;
}

/**
 * Returns the status of each job, waiting up to `waitSeconds` (-1: up to the server's limit) for all of
 * them to finish, checking every `pollSeconds`. Stops waiting when the client goes away.
 */
export async function jobStatuses(
  ctx: ServiceContext,
  jobIds: readonly string[],
  waitSeconds: number,
  pollSeconds: number,
  signal: AbortSignal,
): Promise<Record<string, { id: string; state: JobState; output: Record<string, unknown> | null }>> {
  const scope = jobScope(ctx.actor);
  const limit = ctx.deps.api.maxStatusWaitSeconds;
  const deadline = Date.now() + 1000 * (waitSeconds < 0 ? limit : Math.min(waitSeconds, limit));
  for (;;) {
    const jobs = await getJobs(ctx.deps.store.db, jobIds, scope);
    if (jobs.length !== new Set(jobIds).size) {
      const found = new Set(jobs.map((j) => j.id));
      const index = jobIds.findIndex((id) => !found.has(id));
      throw new AppError('JOB_NOT_FOUND', `There is no job with id ${jobIds[index]}.`, {
        errors: [fieldError('body', ['jobIds', index], 'is not a known job')],
      });
    }
    const done = jobs.every((j) => isTerminal(j.state));
    if (done || Date.now() >= deadline || signal.aborted || ctx.deps.shuttingDown?.()) {
      return Object.fromEntries(jobs.map((j) => [j.id, { id: j.id, state: j.state, output: j.output }]));
    }
    await sleep(Math.min(pollSeconds * 1000, Math.max(0, deadline - Date.now())), undefined, {
      signal,
    }).catch(() => {});
  }
}

/** Cancels the given jobs (or every job of a bulk id) that have not finished, and audits it. */
export async function cancel(
  ctx: ServiceContext,
  input: { readonly jobIds?: readonly string[] | undefined; readonly bulkId?: string | undefined },
): Promise<string[]> {
  const scope = jobScope(ctx.actor);
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('jobs').select('id');
    if (input.jobIds) query = query.where('id', 'in', [...input.jobIds]);
    if (input.bulkId) query = query.where('bulk_id', '=', input.bulkId);
    if (scope.createdBy !== undefined) query = query.where('created_by', '=', scope.createdBy);
    const ids = (await query.execute()).map((r) => r.id);
    if (input.jobIds && ids.length !== new Set(input.jobIds).size) {
      const found = new Set(ids);
      const index = input.jobIds.findIndex((id) => !found.has(id));
      throw new AppError('JOB_NOT_FOUND', `There is no job with id ${input.jobIds[index]}.`, {
        errors: [fieldError('body', ['jobIds', index], 'is not a known job')],
      });
    }
    const cancelled = await cancelJobs(trx, ids);
    await recordAudit(trx, ctx, {
      action: 'JobsCancelled',
      targetType: 'job',
      targets: cancelled.map((id) => ({ type: 'job', id })),
      payload: { requested: ids.length, cancelled: cancelled.length, bulkId: input.bulkId ?? null },
    });
    return cancelled;
  });
}
