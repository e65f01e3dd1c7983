import { type Logger, pino } from 'pino';
import { isTerminal } from '../../src/jobs/job-state.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import type { AppDeps } from '../../src/server/deps.ts';

/**
 * Runs the app's real job kinds until every job of the bulk id has finished (bounded by `timeoutMs`)
 * and returns the final jobs. The runner logs to `logger` (silent by default).
 */
export async function runBulk(deps: AppDeps, bulkId: string, timeoutMs = 60_000, logger?: Logger) {
  const runner = new JobRunner(deps.store.db, deps.jobs.registry, deps, logger ?? pino({ level: 'silent' }), {
    concurrency: 2,
    leaseMs: 10_000,
    pollMs: 50,
    progressMs: 100,
  });
  runner.start();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await deps.store.db.selectFrom('jobs').selectAll().where('bulk_id', '=', bulkId).execute();
      if (jobs.length > 0 && jobs.every((j) => isTerminal(j.state))) return jobs;
      if (Date.now() > deadline)
        throw new Error(
          `bulk ${bulkId} did not finish: ${jobs.map((j) => `${j.state} ${j.last_error ?? ''}`).join('; ')}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await runner.stop(1000);
  }
}

/**
 * Runs every job waiting now, and the jobs those create (syncs, discovery, enforcement, entitlement
 * pushes), to completion, moving delayed ones forward; stops when none waits (at most `rounds` rounds).
 */
export async function settleJobs(deps: AppDeps, logger?: Logger, rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const waiting = await deps.store.db
      .selectFrom('jobs')
      .select(['bulk_id'])
      .where('state', 'in', ['created', 'retry'])
      .execute();
    if (waiting.length === 0) return;
    await deps.store.db
      .updateTable('jobs')
      .set({ run_after: new Date(0) })
      .where('state', '=', 'created')
      .execute();
    for (const bulk of new Set(waiting.map((w) => w.bulk_id))) await runBulk(deps, bulk, 60_000, logger);
  }
}
