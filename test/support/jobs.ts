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
