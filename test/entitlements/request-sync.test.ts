import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  ENTITLEMENT_SYNC_JOB_TYPE,
  requestEntitlementSync,
  requestStaleEntitlementSyncs,
  storeTimeIn,
} from '../../src/entitlements/request-sync.ts';
import { markEntitlementsChanged } from '../../src/people/entitlements-changed.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

describe('queueing entitlement syncs', () => {
  let store: TestStore;
  const waiting = () =>
    store.db
      .selectFrom('jobs')
      .select(['state', 'run_after', sql<string>`payload->>'connectionKey'`.as('key'), 'max_attempts'])
      .where('type', '=', ENTITLEMENT_SYNC_JOB_TYPE)
      .where('state', 'in', ['created', 'retry'])
      .orderBy('key')
      .execute();

  before(async () => {
    store = await createTestStore();
    await sql`INSERT INTO connections (connection_key, technology, connection, secrets)
              VALUES ('a', 'PostgreSQL', '{}', 'x'), ('b', 'PostgreSQL', '{}', 'x')`.execute(store.db);
  });
  beforeEach(async () => {
    await store.db.deleteFrom('jobs').execute();
    await store.db.deleteFrom('entitlement_sync').execute();
  });
  after(() => store?.close());

  it('marks every connection changed and queues one sync each, a debounce from now', async () => {
    const before = await storeTimeIn(store.db, 0);
    await store.db.transaction().execute((trx) => markEntitlementsChanged(trx));
    const jobs = await waiting();
    assert.deepEqual(
      jobs.map((j) => [j.key, j.state, j.max_attempts]),
      [
        ['a', 'created', 5],
        ['b', 'created', 5],
      ],
    );
    for (const j of jobs) {
      const delay = j.run_after.getTime() - before.getTime();
      assert.ok(delay >= 150 && delay < 5000, `runs ${delay} ms after the change`);
    }
    const marks = await store.db.selectFrom('entitlement_sync').selectAll().execute();
    assert.deepEqual(marks.map((m) => [m.connection_key, m.pushed_at]).sort(), [
      ['a', null],
      ['b', null],
    ]);
  });

  it('keeps one waiting sync per connection however many changes arrive', async () => {
    for (let i = 0; i < 5; i++) await store.db.transaction().execute((trx) => markEntitlementsChanged(trx));
    assert.equal((await waiting()).length, 2);
  });

  it('moves a waiting sync earlier, never later', async () => {
    const soon = await storeTimeIn(store.db, 1000);
    const later = await storeTimeIn(store.db, 60_000);
    assert.deepEqual(await requestEntitlementSync(store.db, ['a'], later), ['a']);
    assert.deepEqual(await requestEntitlementSync(store.db, ['a'], soon), []);
    assert.deepEqual(await requestEntitlementSync(store.db, ['a'], later), []);
    const [job] = await waiting();
    assert.equal(job!.run_after.getTime(), soon.getTime());
  });

  it('leaves a sync waiting for its retry alone, backoff included', async () => {
    const later = await storeTimeIn(store.db, 60_000);
    await requestEntitlementSync(store.db, ['a'], later);
    await store.db.updateTable('jobs').set({ state: 'retry' }).execute();
    assert.deepEqual(await requestEntitlementSync(store.db, ['a', 'b'], await storeTimeIn(store.db, 0)), [
      'b',
    ]);
    const jobs = await waiting();
    assert.deepEqual(
      jobs.map((j) => [j.key, j.state]),
      [
        ['a', 'retry'],
        ['b', 'created'],
      ],
    );
    assert.equal(jobs[0]!.run_after.getTime(), later.getTime());
  });

  it('catches up connections never pushed or changed since, unless a sync is queued or running', async () => {
    assert.deepEqual(await requestStaleEntitlementSyncs(store.db), ['a', 'b']);
    assert.deepEqual(await requestStaleEntitlementSyncs(store.db), [], 'both are queued now');
    await store.db.updateTable('jobs').set({ state: 'completed' }).execute();
    await sql`INSERT INTO entitlement_sync (connection_key, changed_at, pushed_at)
              VALUES ('a', now() - interval '1 minute', now()), ('b', now(), now() - interval '1 minute')`.execute(
      store.db,
    );
    assert.deepEqual(await requestStaleEntitlementSyncs(store.db), ['b'], 'a is up to date');
  });
});
