import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobKind } from '../src/jobs/job-kind.ts';
import { enqueueJobs, TERMINAL_STATES } from '../src/jobs/queue.ts';
import type { AppDeps } from '../src/server/deps.ts';
import type { Db } from '../src/store/schema.ts';
import { withBenchServer } from './bench-server.ts';
import { BACKENDS, type Backend, type Benchmark } from './benchmark.ts';
import { figure, note } from './report.ts';

const JOBS = 5_000;
const BATCH = 500;
const CONCURRENCY = 8;
const POLL_MS = 50;
const CHECK_MS = 25;
const TIMEOUT_MS = 90_000;

const noopKind: JobKind<AppDeps, never> = { type: 'bench.noop', run: async () => undefined };

async function enqueueAll(db: Db): Promise<string> {
  let bulkId: string | undefined;
  for (let start = 0; start < JOBS; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, JOBS - start) }, () => ({ type: noopKind.type }));
    ({ bulkId } = await enqueueJobs(db, batch, bulkId === undefined ? {} : { bulkId }));
  }
  return bulkId!;
}

/** Waits until every job of the bulk has finished; fails if any did not complete. */
async function waitForAll(db: Db, bulkId: string): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    const rows = await db
      .selectFrom('jobs')
      .select(['state', (eb) => eb.fn.countAll<string>().as('count')])
      .where('bulk_id', '=', bulkId)
      .where('state', 'in', [...TERMINAL_STATES])
      .groupBy('state')
      .execute();
    const finished = rows.reduce((sum, r) => sum + Number(r.count), 0);
    if (finished === JOBS) {
      const unfinished = rows.filter((r) => r.state !== 'completed');
      if (unfinished.length > 0)
        throw new Error(`Some jobs did not complete: ${JSON.stringify(unfinished)}.`);
      return;
    }
    if (performance.now() > deadline) throw new Error(`Only ${finished} of ${JOBS} jobs finished in time.`);
    await sleep(CHECK_MS);
  }
}

async function measure(backend: Backend): Promise<void> {
  const options = {
    extraJobKinds: [noopKind],
    runner: { concurrency: CONCURRENCY, pollMs: POLL_MS },
    // No worker at start-up: the runner starts by hand once every job is queued.
    env: { STEWARD_WORKERS: '0' },
  };
  await withBenchServer(backend, options, async (server) => {
    const db = server.deps.store.db;
    const bulkId = await enqueueAll(db);
    note(`jobs.throughput.${backend}: ${JOBS} no-op jobs queued, ${CONCURRENCY} workers`);
    const started = performance.now();
    server.runner.start();
    await waitForAll(db, bulkId);
    const seconds = (performance.now() - started) / 1000;
    figure(`jobs.throughput.${backend}`, JOBS / seconds, 'jobs/s');
    note(`jobs.throughput.${backend}: all completed in ${seconds.toFixed(2)} s`);
  });
}

/** Empty jobs claimed and completed per second by one job runner, against each store back end. */
export function jobThroughputBenchmarks(): Benchmark[] {
  return BACKENDS.map((backend) => ({ name: `jobs.throughput.${backend}`, run: () => measure(backend) }));
}
