import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueue } from '../../src/jobs/enqueue.ts';
import { jobRegistry } from '../../src/jobs/job-kind.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

describe('enqueueing jobs of registered kinds', () => {
  let store: TestStore;
  before(async () => {
    store = await createTestStore();
  });
  after(async () => store.close());

  const registry = jobRegistry([
    { type: 'crawl-like', maxAttempts: 5, timeoutSeconds: 120, run: async () => ({}) },
    { type: 'plain', run: async () => ({}) },
  ]);

  it("takes each kind's attempt and time limits unless the job sets its own", async () => {
    const { jobIds } = await enqueue(store.db, registry, [
      { type: 'crawl-like' },
      { type: 'crawl-like', maxAttempts: 1, timeoutSeconds: 10 },
      { type: 'plain' },
    ]);
    const rows = await store.db
      .selectFrom('jobs')
      .select(['id', 'max_attempts', 'timeout_seconds'])
      .where('id', 'in', jobIds)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, [r.max_attempts, r.timeout_seconds]]));
    assert.deepEqual(
      jobIds.map((id) => byId.get(id)),
      [
        [5, 120],
        [1, 10],
        [3, 3600],
      ],
    );
  });

  it('refuses a type no worker runs, and queues nothing of the batch', async () => {
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await assert.rejects(
      enqueue(store.db, registry, [{ type: 'plain' }, { type: 'nope' }]),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'JOB_TYPE_UNKNOWN');
        return true;
      },
    );
    assert.equal(await count(), before);
  });
});
