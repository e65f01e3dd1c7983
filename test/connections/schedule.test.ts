import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueueDueSyncs } from '../../src/connections/sync-schedule.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk } from '../support/jobs.ts';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';

describe('scheduled object sync', () => {
  let wh: TestWarehouse;
  let t: TestApp;
  before(async () => {
    wh = await createEmbeddedWarehouse();
    t = await createTestApp({ platforms: platformsFor(wh) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection',
      headers: { authorization: t.adminKey },
      payload: { connectionKey: 'sched', connection: wh.connection },
    });
    await runBulk(t.deps, res.json().bulkId);
  });
  after(async () => {
    await t.close();
    await wh.drop();
  });

  it('leaves a connection synced within the interval alone', async () => {
    assert.deepEqual(await enqueueDueSyncs(t.store.db, t.deps.jobs.registry, 3600), []);
  });

  it('enqueues one sync for a connection whose last sync is older than the interval, and no second while it waits', async () => {
    await t.store.db
      .updateTable('connections')
      .set({ last_synced_at: new Date(Date.now() - 7_200_000) })
      .execute();
    assert.deepEqual(await enqueueDueSyncs(t.store.db, t.deps.jobs.registry, 3600), ['sched']);
    assert.deepEqual(await enqueueDueSyncs(t.store.db, t.deps.jobs.registry, 3600), []);
    const [job] = await t.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('state', '=', 'created')
      .where('type', '=', 'connection.sync')
      .execute();
    assert.deepEqual(job?.payload, { connectionKey: 'sched', objectPath: ['sched'] });
    await runBulk(t.deps, job!.bulk_id);
    const row = await t.store.db.selectFrom('connections').select('last_synced_at').executeTakeFirstOrThrow();
    assert.ok(row.last_synced_at!.getTime() > Date.now() - 60_000, 'the sync recorded when it ran');
  });
});
