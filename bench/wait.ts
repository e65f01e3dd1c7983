import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../src/store/schema.ts';
import { isInterrupted } from './cleanup.ts';

/** How long a wait polls and how often. */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly everyMs: number;
}

/** Polls `check` until it holds; fails after the timeout or when the run is interrupted. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  while (!(await check())) {
    if (isInterrupted()) throw new Error('Interrupted.');
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(options.everyMs);
  }
}

/** Waits until no job of `type` is queued or running; fails if one failed. */
export async function waitForIdleJobs(db: Db, type: string, options: WaitOptions): Promise<void> {
  await waitUntil(
    `${type} jobs to finish`,
    async () => {
      const { rows } = await sql<{ n: number; failed: string | null }>`
        SELECT count(*) FILTER (WHERE state IN ('created', 'retry', 'active'))::int AS n,
               max(coalesce(last_error, 'failed')) FILTER (WHERE state = 'failed') AS failed
          FROM jobs WHERE type = ${type}`.execute(db);
      if (rows[0]!.failed) throw new Error(`A ${type} job failed: ${rows[0]!.failed}`);
      return rows[0]!.n === 0;
    },
    options,
  );
}

/** Waits until the (single-job) bulk of an object sync completed; fails if it ended otherwise. */
export async function waitForObjectSync(db: Db, bulkId: string, options: WaitOptions): Promise<void> {
  await waitUntil(
    'the object sync',
    async () => {
      const job = await db
        .selectFrom('jobs')
        .select(['state', 'last_error'])
        .where('bulk_id', '=', bulkId)
        .executeTakeFirst();
      if (job && ['failed', 'cancelled', 'expired'].includes(job.state))
        throw new Error(`The object sync ended ${job.state}: ${job.last_error}`);
      return job?.state === 'completed';
    },
    options,
  );
}
