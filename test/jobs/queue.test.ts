import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import {
  cancelJobs,
  claimJobs,
  completeJob,
  enqueueJobs,
  failJob,
  type JobRecord,
  type Lease,
  recordProgress,
  releaseJob,
  renewLeases,
  sweepJobs,
} from '../../src/jobs/queue.ts';
import { getJobs, listJobItems, searchJobs, summarizeJobs } from '../../src/jobs/search.ts';
import { jobRow } from '../support/job-helpers.ts';
import { createTestStore, TEST_BACKEND, type TestStore } from '../support/store.ts';

const workerA = { owner: 'worker-a', leaseMs: 60_000 };
const workerB = { owner: 'worker-b', leaseMs: 60_000 };

function leaseOf(job: JobRecord): Lease {
  return { id: job.id, token: job.leaseToken };
}

describe(`job queue (${TEST_BACKEND} store)`, () => {
  let store: TestStore;
  const db = () => store.db;

  before(async () => {
    store = await createTestStore();
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await db().deleteFrom('jobs').execute();
  });

  async function claimOne(type: string, worker = workerA): Promise<JobRecord> {
    const [job, ...more] = await claimJobs(db(), worker, [type], 1);
    assert.ok(job, `expected a ${type} job to claim`);
    assert.equal(more.length, 0);
    return job;
  }

  test('enqueues a batch under one bulk id, every job created and not yet attempted', async () => {
    const { bulkId, jobIds } = await enqueueJobs(db(), [
      { type: 'q.enqueue', payload: { n: 1 } },
      { type: 'q.enqueue', payload: { n: 2 } },
      { type: 'q.enqueue-other', maxAttempts: 5, timeoutSeconds: 60 },
    ]);
    assert.equal(new Set(jobIds).size, 3);
    const more = await enqueueJobs(db(), [{ type: 'q.enqueue' }], { bulkId });
    assert.equal(more.bulkId, bulkId);

    const jobs = await searchJobs(db(), { bulkId, offset: 0, limit: 10 });
    assert.deepEqual(new Set(jobs.map((j) => j.id)), new Set([...jobIds, ...more.jobIds]));
    for (const job of jobs) {
      assert.equal(job.bulkId, bulkId);
      assert.equal(job.state, 'created');
      assert.equal(job.attempts, 0);
      assert.equal(job.leaseToken, 0);
      assert.equal(job.startedAt, null);
    }
    const byId = new Map(jobs.map((j) => [j.id, j]));
    assert.deepEqual(byId.get(jobIds[0]!)?.payload, { n: 1 });
    assert.deepEqual(byId.get(jobIds[1]!)?.payload, { n: 2 });
    assert.equal(byId.get(jobIds[0]!)?.maxAttempts, 3);
    assert.equal(byId.get(jobIds[2]!)?.maxAttempts, 5);
    assert.equal(byId.get(jobIds[2]!)?.timeoutSeconds, 60);

    const other = await enqueueJobs(db(), [{ type: 'q.enqueue' }]);
    assert.notEqual(other.bulkId, bulkId);
    assert.equal((await searchJobs(db(), { bulkId, offset: 0, limit: 10 })).length, 4);
  });

  test('enqueueing no jobs writes nothing', async () => {
    const { jobIds } = await enqueueJobs(db(), []);
    assert.deepEqual(jobIds, []);
    assert.equal((await searchJobs(db(), { offset: 0, limit: 10 })).length, 0);
  });

  test('successive claims return each runnable job once and only jobs of the asked types', async () => {
    const { jobIds } = await enqueueJobs(
      db(),
      Array.from({ length: 5 }, () => ({ type: 'q.claim' })),
    );
    const { jobIds: otherIds } = await enqueueJobs(db(), [{ type: 'q.claim-other' }]);

    const first = await claimJobs(db(), workerA, ['q.claim'], 3);
    const second = await claimJobs(db(), workerB, ['q.claim'], 10);
    const third = await claimJobs(db(), workerA, ['q.claim'], 10);
    assert.equal(first.length, 3);
    assert.equal(second.length, 2);
    assert.equal(third.length, 0);
    const claimed = [...first, ...second].map((j) => j.id);
    assert.deepEqual(new Set(claimed), new Set(jobIds));
    assert.equal(new Set(claimed).size, 5);

    for (const job of [...first, ...second]) {
      assert.equal(job.state, 'active');
      assert.equal(job.attempts, 1);
      assert.equal(job.leaseToken, 1);
      assert.notEqual(job.startedAt, null);
    }
    const row = await jobRow(db(), second[0]!.id);
    assert.equal(row.lease_owner, 'worker-b');
    assert.ok(row.lease_until && row.lease_until.getTime() > Date.now() + 30_000);
    assert.equal((await jobRow(db(), otherIds[0]!)).state, 'created');
    assert.deepEqual(await claimJobs(db(), workerA, [], 10), []);
    assert.deepEqual(await claimJobs(db(), workerA, ['q.claim-other'], 0), []);
  });

  test('claims made at the same time on one store never return the same job twice', async () => {
    const { jobIds } = await enqueueJobs(
      db(),
      Array.from({ length: 40 }, () => ({ type: 'q.claim-race' })),
    );
    const claimers = Array.from({ length: 5 }, async (_, i) => {
      const mine: string[] = [];
      for (;;) {
        const batch = await claimJobs(db(), { owner: `claimer-${i}`, leaseMs: 60_000 }, ['q.claim-race'], 3);
        if (batch.length === 0) return mine;
        mine.push(...batch.map((j) => j.id));
      }
    });
    const claimed = (await Promise.all(claimers)).flat();
    assert.equal(claimed.length, 40);
    assert.deepEqual(new Set(claimed), new Set(jobIds));
  });

  test('a job not yet due is not claimed', async () => {
    await enqueueJobs(db(), [{ type: 'q.later', runAfter: new Date(Date.now() + 60_000) }]);
    assert.deepEqual(await claimJobs(db(), workerA, ['q.later'], 10), []);
  });

  test("each claim of a job increments its lease token and records the claimer's lease", async () => {
    const { jobIds } = await enqueueJobs(db(), [{ type: 'q.token', maxAttempts: 5 }]);
    const first = await claimOne('q.token');
    assert.equal(first.leaseToken, 1);
    await releaseJob(db(), leaseOf(first));
    const second = await claimOne('q.token', workerB);
    assert.equal(second.leaseToken, 2);
    assert.equal(await failJob(db(), leaseOf(second), 'boom', 0, null), 'retry');
    const third = await claimOne('q.token');
    assert.equal(third.leaseToken, 3);
    const row = await jobRow(db(), jobIds[0]!);
    assert.equal(row.lease_token, 3);
    assert.equal(row.lease_owner, 'worker-a');
  });

  test('a worker holding a stale lease token can neither complete, fail nor write progress (fencing)', async () => {
    const { jobIds } = await enqueueJobs(db(), [{ type: 'q.fence' }]);
    const id = jobIds[0]!;
    const stale = leaseOf(await claimOne('q.fence'));
    await releaseJob(db(), stale);
    const current = leaseOf(await claimOne('q.fence', workerB));
    assert.notEqual(current.token, stale.token);

    assert.equal(await completeJob(db(), stale, { by: 'a' }), false);
    assert.equal(await failJob(db(), stale, 'late failure', 0, { by: 'a' }), null);
    await recordProgress(db(), stale, { done: 99, total: 99 }, [{ item: 'from-a', status: 'succeeded' }]);
    assert.deepEqual(await renewLeases(db(), workerA, [stale]), new Set([id]));

    let row = await jobRow(db(), id);
    assert.equal(row.state, 'active');
    assert.equal(row.lease_owner, 'worker-b');
    assert.equal(row.output, null);
    assert.equal(row.last_error, null);
    assert.equal(row.progress_done, 0);
    assert.deepEqual(await listJobItems(db(), id, { offset: 0, limit: 10 }), []);

    assert.equal(await completeJob(db(), current, { by: 'b' }), true);
    row = await jobRow(db(), id);
    assert.equal(row.state, 'completed');
    assert.deepEqual(row.output, { by: 'b' });
    assert.equal(row.lease_owner, null);
    assert.notEqual(row.completed_at, null);
    assert.equal(await completeJob(db(), current, { by: 'b again' }), false);
  });

  test('renewing extends the leases still held and reports the lost ones', async () => {
    await enqueueJobs(db(), [{ type: 'q.renew' }, { type: 'q.renew' }]);
    const [kept, lost] = await claimJobs(db(), { owner: 'worker-a', leaseMs: 1000 }, ['q.renew'], 2);
    assert.ok(kept && lost);
    const before = (await jobRow(db(), kept.id)).lease_until!;
    await sql`UPDATE jobs SET lease_token = lease_token + 1 WHERE id = ${lost.id}`.execute(db());

    const gone = await renewLeases(db(), { owner: 'worker-a', leaseMs: 120_000 }, [
      leaseOf(kept),
      leaseOf(lost),
    ]);
    assert.deepEqual(gone, new Set([lost.id]));
    const after = (await jobRow(db(), kept.id)).lease_until!;
    assert.ok(after.getTime() >= before.getTime() + 100_000, 'the held lease was extended');
    assert.deepEqual(await renewLeases(db(), workerB, [leaseOf(kept)]), new Set([kept.id]));
    assert.deepEqual(await renewLeases(db(), workerA, []), new Set());
  });

  test('a failed attempt waits in retry for its delay while attempts remain, then the job fails', async () => {
    const { jobIds } = await enqueueJobs(db(), [{ type: 'q.fail', maxAttempts: 2 }]);
    const id = jobIds[0]!;
    const first = await claimOne('q.fail');
    const failedAt = Date.now();
    assert.equal(await failJob(db(), leaseOf(first), 'boom 1', 60_000, { items: { failed: 1 } }), 'retry');
    let row = await jobRow(db(), id);
    assert.equal(row.state, 'retry');
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, 'boom 1');
    assert.equal(row.lease_owner, null);
    assert.equal(row.completed_at, null);
    assert.ok(row.run_after.getTime() >= failedAt + 59_000, 'the retry waits for its delay');
    assert.deepEqual(await claimJobs(db(), workerA, ['q.fail'], 1), [], 'not claimable before its delay');

    await sql`UPDATE jobs SET run_after = now() WHERE id = ${id}`.execute(db());
    const second = await claimOne('q.fail');
    assert.equal(second.attempts, 2);
    assert.equal(second.error, null, 'a new attempt clears the last error');
    assert.equal(await failJob(db(), leaseOf(second), 'boom 2', 0, null), 'failed');
    row = await jobRow(db(), id);
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, 'boom 2');
    assert.notEqual(row.completed_at, null);
    assert.deepEqual(row.output, { items: { failed: 1 } }, 'a failure without output keeps the earlier one');
    assert.deepEqual(await claimJobs(db(), workerA, ['q.fail'], 1), []);
  });

  test("the sweep returns a job whose worker's lease expired to retry, counting the attempt, and fails it when out of attempts", async () => {
    const { jobIds } = await enqueueJobs(db(), [{ type: 'q.dead', maxAttempts: 2 }]);
    const id = jobIds[0]!;
    const { jobIds: aliveIds } = await enqueueJobs(db(), [{ type: 'q.alive' }]);
    await claimOne('q.alive');
    const dying = { owner: 'worker-dying', leaseMs: 50 };
    await claimOne('q.dead', dying);
    await sleep(150);

    assert.deepEqual(await sweepJobs(db()), { recovered: 1, expired: 0 });
    let row = await jobRow(db(), id);
    assert.equal(row.state, 'retry');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /stopped before finishing/);
    assert.equal(row.lease_owner, null);
    assert.equal(row.completed_at, null);
    assert.equal((await jobRow(db(), aliveIds[0]!)).state, 'active', 'a live lease is left alone');

    const again = await claimOne('q.dead', dying);
    assert.equal(again.attempts, 2);
    await sleep(150);
    assert.deepEqual(await sweepJobs(db()), { recovered: 1, expired: 0 });
    row = await jobRow(db(), id);
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 2);
    assert.notEqual(row.completed_at, null);
    assert.deepEqual(await claimJobs(db(), workerA, ['q.dead'], 1), []);
    assert.equal((await jobRow(db(), aliveIds[0]!)).state, 'active');
  });

  test('a job not started before its deadline expires and is never claimed, while a started one runs on', async () => {
    const { jobIds: lateIds } = await enqueueJobs(db(), [
      { type: 'q.expire', expireAt: new Date(Date.now() - 1000) },
    ]);
    const { jobIds: soonIds } = await enqueueJobs(db(), [
      { type: 'q.expire', expireAt: new Date(Date.now() + 60_000) },
    ]);
    const { jobIds: startedIds } = await enqueueJobs(db(), [
      { type: 'q.expire-started', expireAt: new Date(Date.now() + 60_000) },
    ]);
    await claimOne('q.expire-started');
    // Its deadline passes while it runs.
    await sql`UPDATE jobs SET expire_at = now() - interval '1 second' WHERE id = ${startedIds[0]!}`.execute(
      db(),
    );

    const claimed = await claimJobs(db(), workerA, ['q.expire'], 10);
    assert.deepEqual(
      claimed.map((j) => j.id),
      soonIds,
      'the job past its deadline is not claimed even before a sweep',
    );
    assert.deepEqual(await sweepJobs(db()), { recovered: 0, expired: 1 });
    const late = await jobRow(db(), lateIds[0]!);
    assert.equal(late.state, 'expired');
    assert.equal(late.attempts, 0);
    assert.notEqual(late.completed_at, null);
    assert.match(late.last_error ?? '', /deadline/);
    assert.equal((await jobRow(db(), startedIds[0]!)).state, 'active');
    assert.equal((await jobRow(db(), soonIds[0]!)).state, 'active');
    assert.deepEqual(await sweepJobs(db()), { recovered: 0, expired: 0 });
  });

  test('cancels created, retrying and active jobs but leaves completed ones alone', async () => {
    const created = (await enqueueJobs(db(), [{ type: 'q.c-created' }])).jobIds[0]!;
    const retrying = (await enqueueJobs(db(), [{ type: 'q.c-retry' }])).jobIds[0]!;
    const active = (await enqueueJobs(db(), [{ type: 'q.c-active' }])).jobIds[0]!;
    const done = (await enqueueJobs(db(), [{ type: 'q.c-done' }])).jobIds[0]!;
    await failJob(db(), leaseOf(await claimOne('q.c-retry')), 'boom', 60_000, null);
    const activeLease = leaseOf(await claimOne('q.c-active'));
    assert.equal(await completeJob(db(), leaseOf(await claimOne('q.c-done')), { ok: true }), true);

    const cancelled = await cancelJobs(db(), [created, retrying, active, done, randomUUID()]);
    assert.deepEqual(new Set(cancelled), new Set([created, retrying, active]));
    assert.equal(cancelled.length, 3);
    for (const id of [created, retrying, active]) {
      const row = await jobRow(db(), id);
      assert.equal(row.state, 'cancelled');
      assert.notEqual(row.completed_at, null);
      assert.equal(row.lease_owner, null);
    }
    const completed = await jobRow(db(), done);
    assert.equal(completed.state, 'completed');
    assert.deepEqual(completed.output, { ok: true });

    assert.deepEqual(await renewLeases(db(), workerA, [activeLease]), new Set([active]));
    assert.equal(await completeJob(db(), activeLease, {}), false);
    assert.equal((await jobRow(db(), active)).state, 'cancelled');
    assert.deepEqual(await claimJobs(db(), workerA, ['q.c-created', 'q.c-retry'], 10), []);
    assert.deepEqual(await cancelJobs(db(), [created]), [], 'a cancelled job is not cancelled again');
    assert.deepEqual(await cancelJobs(db(), []), []);
  });

  test('releasing a job hands it back at once without counting the attempt', async () => {
    const { jobIds } = await enqueueJobs(db(), [{ type: 'q.release', maxAttempts: 1 }]);
    const id = jobIds[0]!;
    const first = await claimOne('q.release');
    assert.equal(first.attempts, 1);
    await releaseJob(db(), leaseOf(first));
    const row = await jobRow(db(), id);
    assert.equal(row.state, 'retry');
    assert.equal(row.attempts, 0);
    assert.equal(row.lease_owner, null);
    assert.equal(row.lease_until, null);

    const second = await claimOne('q.release', workerB);
    assert.equal(second.attempts, 1, 'the released attempt was not counted');
    await releaseJob(db(), leaseOf(first));
    const still = await jobRow(db(), id);
    assert.equal(still.state, 'active', 'a stale release does not touch the current claim');
    assert.equal(still.lease_owner, 'worker-b');
    assert.equal(still.attempts, 1);
  });

  test('records per-item results and progress, and an item recorded again overwrites the earlier result', async () => {
    const { jobIds } = await enqueueJobs(db(), [{ type: 'q.items' }]);
    const id = jobIds[0]!;
    const lease = leaseOf(await claimOne('q.items'));
    await recordProgress(db(), lease, { done: 1, total: 3 }, [
      { item: 't1', status: 'failed', detail: { reason: 'timeout' } },
      { item: 't2', status: 'succeeded' },
    ]);
    await recordProgress(db(), lease, { done: 3, total: 3 }, [
      { item: 't1', status: 'succeeded' },
      { item: 't3', status: 'skipped', detail: { reason: 'view' } },
    ]);

    const [job] = await getJobs(db(), [id], {});
    assert.deepEqual(job?.progress, { done: 3, total: 3 });
    const items = await listJobItems(db(), id, { offset: 0, limit: 10 });
    assert.deepEqual(
      items.map(({ item, status, detail }) => ({ item, status, detail })),
      [
        { item: 't1', status: 'succeeded', detail: null },
        { item: 't2', status: 'succeeded', detail: null },
        { item: 't3', status: 'skipped', detail: { reason: 'view' } },
      ],
    );
    const succeeded = await listJobItems(db(), id, { status: 'succeeded', offset: 0, limit: 10 });
    assert.deepEqual(
      succeeded.map((i) => i.item),
      ['t1', 't2'],
    );
    const page = await listJobItems(db(), id, { offset: 1, limit: 1 });
    assert.deepEqual(
      page.map((i) => i.item),
      ['t2'],
    );
  });

  test('summarizes jobs per type and state, optionally only those one user created', async () => {
    const user = await db()
      .insertInto('users')
      .values({ username: `summary-${randomUUID()}`, name: null, email: null, state: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueJobs(db(), [{ type: 's.a' }, { type: 's.a' }, { type: 's.a' }], { createdBy: user.id });
    const { jobIds: bIds } = await enqueueJobs(db(), [{ type: 's.b' }]);
    await completeJob(db(), leaseOf(await claimOne('s.a')), {});
    await claimOne('s.a');
    await cancelJobs(db(), bIds);

    const zero = { created: 0, active: 0, retry: 0, completed: 0, failed: 0, cancelled: 0, expired: 0 };
    assert.deepEqual(await summarizeJobs(db(), {}), {
      's.a': { ...zero, created: 1, active: 1, completed: 1, total: 3 },
      's.b': { ...zero, cancelled: 1, total: 1 },
    });
    assert.deepEqual(await summarizeJobs(db(), { createdBy: user.id }), {
      's.a': { ...zero, created: 1, active: 1, completed: 1, total: 3 },
    });
    assert.deepEqual(await summarizeJobs(db(), { createdBy: user.id + 1 }), {});
  });
});
