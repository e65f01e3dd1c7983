import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { type JobKind, jobRegistry } from '../../src/jobs/job-kind.ts';
import { cancelJobs, completeJob, enqueueJobs } from '../../src/jobs/queue.ts';
import { JobRunner, type RunnerOptions } from '../../src/jobs/runner.ts';
import { listJobItems } from '../../src/jobs/search.ts';
import { aborted, gate, jobRow, silentLogger, waitFor, within } from '../support/job-helpers.ts';
import { createTestStore, TEST_BACKEND, type TestStore } from '../support/store.ts';

/** What the runners of these tests hand their handlers: which runner is running them. */
interface Deps {
  readonly runner: string;
}

const OPTIONS: RunnerOptions = { concurrency: 3, leaseMs: 300, pollMs: 50, progressMs: 50 };

describe(`job runner (${TEST_BACKEND} store)`, () => {
  let store: TestStore;
  const runners: JobRunner<Deps>[] = [];

  before(async () => {
    store = await createTestStore();
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('jobs').execute();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(0)));
  });

  function startRunner(
    kinds: ReadonlyArray<JobKind<Deps, never>>,
    name = 'A',
    options: Partial<RunnerOptions> = {},
  ): JobRunner<Deps> {
    const runner = new JobRunner<Deps>(store.db, jobRegistry(kinds), { runner: name }, silentLogger(), {
      ...OPTIONS,
      ...options,
    });
    runners.push(runner);
    runner.start();
    return runner;
  }

  async function enqueueOne(type: string, extra: { maxAttempts?: number; timeoutSeconds?: number } = {}) {
    const { jobIds } = await enqueueJobs(store.db, [{ type, ...extra }]);
    return jobIds[0]!;
  }

  function settled(id: string, timeoutMs = 20_000) {
    return waitFor(
      `job ${id} to finish`,
      async () => {
        const row = await jobRow(store.db, id);
        return ['completed', 'failed', 'cancelled', 'expired'].includes(row.state) && row;
      },
      { timeoutMs },
    );
  }

  test("writes a handler's progress and item results to the store while it runs and counts the items in its output", async () => {
    const release = gate();
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.progress',
      async run(ctx) {
        ctx.progress(2, 3);
        ctx.item('a', 'succeeded');
        ctx.item('b', 'failed', { reason: 'permission denied' });
        await release.promise;
        ctx.item('c', 'skipped');
        ctx.progress(3);
        return { note: 'done' };
      },
    };
    const id = await enqueueOne(kind.type);
    startRunner([kind]);

    await waitFor('progress and items written while the job runs', async () => {
      const row = await jobRow(store.db, id);
      const items = await listJobItems(store.db, id, { offset: 0, limit: 10 });
      return (
        row.state === 'active' && row.progress_done === 2 && row.progress_total === 3 && items.length === 2
      );
    });
    release.open();

    const row = await settled(id);
    assert.equal(row.state, 'completed');
    assert.deepEqual(row.output, { note: 'done', items: { succeeded: 1, failed: 1, skipped: 1 } });
    assert.equal(row.progress_done, 3);
    assert.equal(row.progress_total, 3, 'progress without a total keeps the earlier total');
    const items = await listJobItems(store.db, id, { offset: 0, limit: 10 });
    assert.deepEqual(
      items.map(({ item, status, detail }) => ({ item, status, detail })),
      [
        { item: 'a', status: 'succeeded', detail: null },
        { item: 'b', status: 'failed', detail: { reason: 'permission denied' } },
        { item: 'c', status: 'skipped', detail: null },
      ],
    );
  });

  test('retries a throwing handler after a backoff delay until it succeeds on its third attempt', async () => {
    const attempts: Array<{ attempt: number; startedAt: number; runAfter: number; thrownAt?: number }> = [];
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.flaky',
      backoff: { baseMs: 10, maxMs: 50 },
      async run(ctx) {
        const row = await jobRow(ctx.db, ctx.job.id);
        const record = { attempt: ctx.job.attempt, startedAt: Date.now(), runAfter: row.run_after.getTime() };
        attempts.push(record);
        if (ctx.job.attempt < 3) {
          Object.assign(record, { thrownAt: Date.now() });
          throw new Error(`flaky attempt ${ctx.job.attempt}`);
        }
        return { attempt: ctx.job.attempt };
      },
    };
    const id = await enqueueOne(kind.type, { maxAttempts: 3 });
    startRunner([kind]);

    const row = await settled(id);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 3);
    assert.equal(row.last_error, null);
    assert.deepEqual(row.output, { attempt: 3, items: { succeeded: 0, failed: 0, skipped: 0 } });
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      [1, 2, 3],
    );
    // The run_after a retry sees was set by the previous failure: its delay is base * 2^(n-1) * [0.5, 1].
    const minimumDelays = [5, 10];
    for (const [i, minimum] of minimumDelays.entries()) {
      const failed = attempts[i]!;
      const retry = attempts[i + 1]!;
      const delay = retry.runAfter - failed.thrownAt!;
      assert.ok(delay >= minimum, `retry ${i + 1} was delayed ${delay} ms, expected at least ${minimum}`);
      assert.ok(delay <= 50 + 1000, `retry ${i + 1} was delayed ${delay} ms, more than the cap allows`);
      assert.ok(retry.startedAt >= retry.runAfter - 1, 'a retry does not start before its delay');
    }
  });

  test('a handler that always throws ends failed with its error after exactly maxAttempts attempts', async () => {
    let calls = 0;
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.broken',
      backoff: { baseMs: 10, maxMs: 50 },
      async run(ctx) {
        calls++;
        ctx.item(`item-${ctx.job.attempt}`, 'failed');
        throw new Error(`broken on attempt ${ctx.job.attempt}`);
      },
    };
    const id = await enqueueOne(kind.type, { maxAttempts: 3 });
    startRunner([kind]);

    const row = await settled(id);
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 3);
    assert.equal(row.last_error, 'broken on attempt 3');
    assert.notEqual(row.completed_at, null);
    assert.deepEqual(row.output, { items: { succeeded: 0, failed: 1, skipped: 0 } });
    await sleep(300);
    assert.equal(calls, 3, 'no attempt after the last one');
    assert.equal((await jobRow(store.db, id)).attempts, 3);
    const items = await listJobItems(store.db, id, { offset: 0, limit: 10 });
    assert.deepEqual(
      items.map((i) => i.item),
      ['item-1', 'item-2', 'item-3'],
      'items recorded before a failure are kept',
    );
  });

  test('a job running past its timeout has its signal aborted and the attempt counted as failed', async () => {
    const reasons: string[] = [];
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.slow',
      backoff: { baseMs: 10, maxMs: 50 },
      async run(ctx) {
        if (ctx.job.attempt > 1) return { fast: true };
        await aborted(ctx.signal);
        reasons.push(String((ctx.signal.reason as Error).message));
        throw ctx.signal.reason;
      },
    };
    const id = await enqueueOne(kind.type, { maxAttempts: 2, timeoutSeconds: 1 });
    const startedAt = Date.now();
    startRunner([kind]);

    await waitFor('the first attempt to time out', () => reasons.length === 1, { timeoutMs: 10_000 });
    assert.ok(Date.now() - startedAt >= 900, 'the signal fired no earlier than the timeout');
    assert.match(reasons[0]!, /limit of 1 s/);
    const row = await settled(id);
    assert.equal(row.state, 'completed');
    assert.equal(row.attempts, 2, 'the timed-out attempt counted');
    assert.deepEqual(row.output, { fast: true, items: { succeeded: 0, failed: 0, skipped: 0 } });
  });

  test('a timed-out job out of attempts fails with the timeout as its error', async () => {
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.too-slow',
      async run(ctx) {
        await aborted(ctx.signal);
        throw new Error('handler saw the abort');
      },
    };
    const id = await enqueueOne(kind.type, { maxAttempts: 1, timeoutSeconds: 1 });
    startRunner([kind]);
    const row = await settled(id, 10_000);
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /limit of 1 s/);
  });

  test("cancelling an active job aborts its handler's signal within a few lease renewals", async () => {
    const started = gate();
    let abortedAfterMs: number | undefined;
    let cancelledAt = 0;
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.cancel',
      async run(ctx) {
        started.open();
        await aborted(ctx.signal);
        abortedAfterMs = Date.now() - cancelledAt;
        throw ctx.signal.reason;
      },
    };
    const id = await enqueueOne(kind.type, { maxAttempts: 3 });
    const runner = startRunner([kind]);
    await within('the handler to start', started.promise);

    cancelledAt = Date.now();
    assert.deepEqual(await cancelJobs(store.db, [id]), [id]);
    await waitFor('the handler to see the cancellation', () => abortedAfterMs !== undefined, {
      timeoutMs: 5000,
    });
    assert.ok(abortedAfterMs! <= 1500, `aborted ${abortedAfterMs} ms after cancelling (lease 300 ms)`);
    await waitFor('the runner to let go of the job', () => runner.activeCount === 0);
    const row = await jobRow(store.db, id);
    assert.equal(row.state, 'cancelled', 'the aborted attempt does not turn the job into a retry');
    assert.equal(row.attempts, 1);
  });

  test('stop waits for short jobs and hands back a long one without counting its attempt, so another runner completes it', async () => {
    const ranBy = new Map<string, string[]>();
    let longStarts = 0;
    const short: JobKind<Deps, Record<string, never>> = {
      type: 'r.short',
      async run(ctx) {
        ranBy.set(ctx.job.id, [...(ranBy.get(ctx.job.id) ?? []), ctx.deps.runner]);
        await sleep(200);
        return { by: ctx.deps.runner };
      },
    };
    const long: JobKind<Deps, Record<string, never>> = {
      type: 'r.long',
      async run(ctx) {
        longStarts++;
        ranBy.set(ctx.job.id, [...(ranBy.get(ctx.job.id) ?? []), ctx.deps.runner]);
        if (ctx.deps.runner === 'A') {
          await aborted(ctx.signal);
          throw ctx.signal.reason;
        }
        return { by: ctx.deps.runner };
      },
    };
    const shortIds = [await enqueueOne(short.type), await enqueueOne(short.type)];
    const longId = await enqueueOne(long.type, { maxAttempts: 1 });
    const a = startRunner([short, long], 'A');
    await waitFor('all three jobs to start on runner A', () => ranBy.size === 3 && a.activeCount === 3);

    const stopStarted = Date.now();
    await a.stop(800);
    const stopMs = Date.now() - stopStarted;
    assert.ok(stopMs >= 700, `stop returned after ${stopMs} ms, before its grace period`);
    for (const id of shortIds) {
      const row = await jobRow(store.db, id);
      assert.equal(row.state, 'completed', 'a short job finished within the grace period');
      assert.deepEqual(row.output, { by: 'A', items: { succeeded: 0, failed: 0, skipped: 0 } });
    }
    const handedBack = await jobRow(store.db, longId);
    assert.equal(handedBack.state, 'retry');
    assert.equal(handedBack.attempts, 0, 'the handed-back attempt is not counted');
    assert.equal(handedBack.lease_owner, null);
    assert.equal(a.activeCount, 0);

    startRunner([short, long], 'B');
    const row = await settled(longId);
    assert.equal(row.state, 'completed', 'a job with one attempt allowed still completes after a hand-back');
    assert.equal(row.attempts, 1);
    assert.deepEqual(row.output, { by: 'B', items: { succeeded: 0, failed: 0, skipped: 0 } });
    assert.deepEqual(ranBy.get(longId), ['A', 'B']);
    assert.equal(longStarts, 2);
    for (const id of shortIds) assert.deepEqual(ranBy.get(id), ['A'], 'short jobs ran once');
  });

  test('a runner that loses its lease aborts the handler and discards its late completion', async () => {
    const started = gate();
    const finish = gate();
    let sawAbort = false;
    const kind: JobKind<Deps, Record<string, never>> = {
      type: 'r.usurped',
      async run(ctx) {
        started.open();
        await aborted(ctx.signal);
        sawAbort = true;
        // A handler that ignores its signal keeps going and reports results anyway.
        await finish.promise;
        ctx.item('late-item', 'succeeded');
        ctx.progress(42, 42);
        return { late: true };
      },
    };
    const id = await enqueueOne(kind.type);
    const runner = startRunner([kind]);
    await within('the handler to start', started.promise);

    // Another worker takes the job over, as after a network partition longer than the lease.
    await sql`UPDATE jobs SET lease_token = lease_token + 1, lease_owner = 'usurper',
                              lease_until = now() + interval '1 hour'
               WHERE id = ${id}`.execute(store.db);
    try {
      await waitFor('the handler to be aborted', () => sawAbort, { timeoutMs: 5000 });
    } finally {
      finish.open();
    }
    await waitFor('the runner to let go of the job', () => runner.activeCount === 0);

    const row = await jobRow(store.db, id);
    assert.equal(row.state, 'active');
    assert.equal(row.lease_owner, 'usurper');
    assert.equal(row.output, null, 'the late result was discarded');
    assert.equal(row.last_error, null);
    assert.equal(row.progress_done, 0);
    assert.deepEqual(await listJobItems(store.db, id, { offset: 0, limit: 10 }), []);
    assert.equal(await completeJob(store.db, { id, token: row.lease_token }, { by: 'usurper' }), true);
  });
});
