import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueueJobs, type NewJob } from '../../src/jobs/queue.ts';
import { asAdmin, type CliHarness, startCliHarness } from './cli-harness.ts';

describe('steward jobs wait', () => {
  let h: CliHarness;

  before(async () => {
    h = await startCliHarness();
  });
  after(async () => {
    await h?.close();
  });

  async function enqueue(jobs: NewJob[]): Promise<string> {
    const { bulkId } = await enqueueJobs(h.server.deps.store.db, jobs, { createdBy: 1 });
    h.server.deps.jobs.wake();
    return bulkId;
  }

  test('exits 0 when every job completed and prints plain progress lines when not on a terminal', async () => {
    const db = h.server.deps.store.db;
    const held = new Date(Date.now() + 3_600_000);
    const bulkId = await enqueue([
      { type: 'cli-test-steps', payload: { items: 4, delayMs: 300 }, runAfter: held },
      { type: 'cli-test-steps', payload: { items: 4, delayMs: 300 }, runAfter: held },
      { type: 'cli-test-steps', payload: { items: 2, delayMs: 300 }, runAfter: held },
    ]);
    let released = false;
    // The jobs start only once the command printed its first line, so it sees them run.
    const run = await h.run(['jobs', 'wait', bulkId, ...asAdmin(h)], {
      onStderr: () => {
        if (released) return;
        released = true;
        void db
          .updateTable('jobs')
          .set({ run_after: new Date() })
          .where('bulk_id', '=', bulkId)
          .execute()
          .then(() => h.server.deps.jobs.wake());
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'All 3 jobs completed.\n');
    const lines = run.stderr.trimEnd().split('\n');
    // Before a job reports its total, it counts as one unit of work.
    assert.equal(lines[0], '0/3 jobs finished; 3 created; progress 0/3');
    assert.ok(lines.length >= 2, run.stderr);
    assert.ok(
      lines.every((l) => /^\d\/3 jobs finished.*; progress \d+\/\d+$/.test(l)),
      run.stderr,
    );
    assert.equal(new Set(lines).size, lines.length, 'one line per change');
    assert.equal(lines.at(-1), '3/3 jobs finished (3 completed); progress 10/10');
    assert.ok(!run.stderr.includes('\r') && !run.stderr.includes('\u001b'), 'no terminal control sequences');
  });

  test('exits 1 and names the unsuccessful jobs when a job failed', async () => {
    const bulkId = await enqueue([
      { type: 'cli-test-steps', payload: { items: 1, delayMs: 10 } },
      { type: 'cli-test-fails', maxAttempts: 1 },
    ]);
    const run = await h.run(['jobs', 'wait', bulkId, ...asAdmin(h)]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^2 jobs: 1 completed, 1 failed$/m);
    assert.match(run.stdout, /cli-test-fails +failed .*the test job failed on purpose/);
    assert.match(run.stderr, /^2\/2 jobs finished \(1 completed, 1 failed\); progress 2\/2$/m);
    assert.match(run.stderr, /^error: 1 of 2 jobs did not complete$/m);
  });

  test('prints the final job list as one JSON document with --json', async () => {
    const bulkId = await enqueue([{ type: 'cli-test-steps', payload: { items: 2, delayMs: 10 } }]);
    const run = await h.run(['jobs', 'wait', bulkId, '--json', ...asAdmin(h)]);
    assert.equal(run.code, 0, run.stderr);
    const jobs = JSON.parse(run.stdout);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0].state, 'completed');
    assert.equal(jobs[0].output.processed, 2);
    assert.deepEqual(jobs[0].progress, { done: 2, total: 2 });
  });

  test('exits 1 after --timeout when jobs are still running', async () => {
    const bulkId = await enqueue([{ type: 'cli-test-steps', runAfter: new Date(Date.now() + 3_600_000) }]);
    const run = await h.run(['jobs', 'wait', bulkId, '--timeout', '1', '--json', ...asAdmin(h)]);
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.stdout)[0].state, 'created');
    assert.match(run.stderr, /^error: timed out after 1 s with 0 of 1 jobs finished$/m);
  });

  test('exits 1 for a bulk id without jobs', async () => {
    const run = await h.run(['jobs', 'wait', '00000000-0000-4000-8000-000000000000', ...asAdmin(h)]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: there are no jobs with bulk id 00000000-0000-4000-8000-000000000000/m);
  });

  test('never prints the API key', () => {
    assert.ok(h.runs.length >= 5);
    for (const run of h.runs) assert.ok(!run.stdout.includes(h.adminKey) && !run.stderr.includes(h.adminKey));
  });
});
