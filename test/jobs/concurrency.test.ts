import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { type JobKind, jobRegistry } from '../../src/jobs/job-kind.ts';
import { claimJobs, enqueueJobs } from '../../src/jobs/queue.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { openStore, type Store } from '../../src/store/open-store.ts';
import type { Db } from '../../src/store/schema.ts';
import { silentLogger, waitFor } from '../support/job-helpers.ts';
import { createServerStore, createTestStore, type TestStore } from '../support/store.ts';

interface Deps {
  readonly runner: string;
}

/** Every execution of the probe job, and any job that started while another run of it was going. */
interface Ledger {
  readonly executions: Array<{ jobId: string; runner: string }>;
  readonly overlaps: string[];
}

/** A job kind that records each execution in memory and in the side table `job_runs`. */
function probeKind(ledger: Ledger): JobKind<Deps, Record<string, never>> {
  const inFlight = new Set<string>();
  return {
    type: 'c.probe',
    async run(ctx) {
      if (inFlight.has(ctx.job.id)) ledger.overlaps.push(ctx.job.id);
      inFlight.add(ctx.job.id);
      ledger.executions.push({ jobId: ctx.job.id, runner: ctx.deps.runner });
      try {
        await sql`INSERT INTO job_runs (job_id, runner) VALUES (${ctx.job.id}, ${ctx.deps.runner})`.execute(
          ctx.db,
        );
        await sleep(Math.floor(Math.random() * 5));
      } finally {
        inFlight.delete(ctx.job.id);
      }
      return { runner: ctx.deps.runner };
    },
  };
}

async function createRunsTable(db: Db): Promise<void> {
  await sql`CREATE TABLE job_runs (job_id uuid NOT NULL, runner text NOT NULL)`.execute(db);
}

/** Runs `count` probe jobs on runners over the given handles and checks each ran exactly once. */
async function runExactlyOnce(db: Db, runnerDbs: readonly Db[], count: number): Promise<void> {
  const ledger: Ledger = { executions: [], overlaps: [] };
  const kind = probeKind(ledger);
  const { jobIds } = await enqueueJobs(
    db,
    Array.from({ length: count }, () => ({ type: kind.type, maxAttempts: 1 })),
  );
  const runners = runnerDbs.map(
    (handle, i) =>
      new JobRunner<Deps>(handle, jobRegistry([kind]), { runner: `R${i}` }, silentLogger(), {
        concurrency: 4,
        leaseMs: 10_000,
        pollMs: 25,
        progressMs: 200,
      }),
  );
  for (const runner of runners) runner.start();
  try {
    await waitFor(
      `${count} jobs to finish`,
      async () => {
        const open = await db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('state', 'not in', ['completed', 'failed', 'cancelled', 'expired'])
          .executeTakeFirstOrThrow();
        return Number(open.n) === 0;
      },
      { timeoutMs: 40_000, intervalMs: 50 },
    );
  } finally {
    await Promise.all(runners.map((r) => r.stop(1000)));
  }

  const rows = await db.selectFrom('jobs').select(['id', 'state', 'attempts', 'output']).execute();
  assert.equal(rows.length, count);
  assert.deepEqual(
    rows.filter((r) => r.state !== 'completed' || r.attempts !== 1),
    [],
    'every job completed on its first attempt',
  );
  assert.deepEqual(ledger.overlaps, [], 'no job ran twice at the same time');
  assert.equal(ledger.executions.length, count, 'each job ran exactly once');
  assert.deepEqual(new Set(ledger.executions.map((e) => e.jobId)), new Set(jobIds));
  const ranOn = new Map(ledger.executions.map((e) => [e.jobId, e.runner]));
  const noItems = { succeeded: 0, failed: 0, skipped: 0 };
  for (const row of rows) assert.deepEqual(row.output, { runner: ranOn.get(row.id), items: noItems });

  const side = await sql<{ runs: string; jobs: string }>`
    SELECT count(*) AS runs, count(DISTINCT job_id) AS jobs FROM job_runs`.execute(db);
  assert.deepEqual(side.rows[0], { runs: String(count), jobs: String(count) }, 'one side effect per job');
  const busy = new Set(ledger.executions.map((e) => e.runner));
  assert.ok(busy.size >= 2, `only ${[...busy].join(', ')} ran jobs; the runners did not compete`);
}

describe('concurrent job claiming (PostgreSQL server store)', () => {
  let store: TestStore;
  const extra: Store[] = [];

  before(async () => {
    store = await createServerStore();
    await createRunsTable(store.db);
  });
  after(async () => {
    await Promise.all(extra.map((s) => s.close()));
    await store?.close();
  });

  async function ownPool(): Promise<Store> {
    const opened = await openStore({ kind: 'postgres', url: store.url!, poolSize: 3 });
    extra.push(opened);
    return opened;
  }

  test('four runners, each with its own connection pool, complete 300 jobs exactly once', async () => {
    const pools = await Promise.all([ownPool(), ownPool(), ownPool(), ownPool()]);
    await runExactlyOnce(
      store.db,
      pools.map((p) => p.db),
      300,
    );
  });

  test('eight claimers on separate connections never claim the same job twice', async () => {
    await store.db.deleteFrom('jobs').execute();
    const { jobIds } = await enqueueJobs(
      store.db,
      Array.from({ length: 400 }, () => ({ type: 'c.claim' })),
    );
    const pools = await Promise.all([ownPool(), ownPool(), ownPool(), ownPool()]);
    const claimers = Array.from({ length: 8 }, async (_, i) => {
      const db = pools[i % pools.length]!.db;
      const mine: string[] = [];
      for (;;) {
        const batch = await claimJobs(db, { owner: `claimer-${i}`, leaseMs: 60_000 }, ['c.claim'], 5);
        if (batch.length === 0) return mine;
        mine.push(...batch.map((j) => j.id));
      }
    });
    const claimed = await Promise.all(claimers);
    const all = claimed.flat();
    assert.equal(all.length, 400, 'every job was claimed once');
    assert.deepEqual(new Set(all), new Set(jobIds));
    assert.ok(claimed.filter((c) => c.length > 0).length >= 2, 'the claimers competed');

    const rows = await store.db.selectFrom('jobs').select(['id', 'lease_owner', 'lease_token']).execute();
    const owners = new Map(claimed.flatMap((ids, i) => ids.map((id) => [id, `claimer-${i}`])));
    for (const row of rows) {
      assert.equal(row.lease_token, 1, 'claimed once');
      assert.equal(row.lease_owner, owners.get(row.id));
    }
  });
});

describe('concurrent job claiming (embedded store)', () => {
  let store: TestStore;

  before(async () => {
    store = await createTestStore('embedded');
    await createRunsTable(store.db);
  });
  after(async () => {
    await store?.close();
  });

  test('two runners sharing one embedded store complete 60 jobs exactly once', async () => {
    await runExactlyOnce(store.db, [store.db, store.db], 60);
  });
});
