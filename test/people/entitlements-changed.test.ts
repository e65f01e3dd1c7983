import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { markEntitlementsChanged } from '../../src/people/entitlements-changed.ts';
import { createTestStore, type TestStore } from '../support/store.ts';
import { addConnection, changeMarks } from './support.ts';

describe('markEntitlementsChanged', () => {
  let store: TestStore;
  before(async () => {
    store = await createTestStore();
  });
  after(async () => {
    await store.close();
  });

  it('does nothing without connections', async () => {
    await markEntitlementsChanged(store.db);
    assert.equal((await changeMarks(store.db)).size, 0);
  });

  it('marks every connection, and a later mark is later', async () => {
    await addConnection(store.db, 'one');
    await addConnection(store.db, 'two');
    await markEntitlementsChanged(store.db);
    const first = await changeMarks(store.db);
    assert.deepEqual([...first.keys()].sort(), ['one', 'two']);
    await markEntitlementsChanged(store.db);
    const second = await changeMarks(store.db);
    assert.ok(second.get('one')! > first.get('one')!);
  });

  it('never moves a mark backwards', async () => {
    const future = new Date(Date.now() + 3_600_000);
    await store.db
      .updateTable('entitlement_sync')
      .set({ changed_at: future })
      .where('connection_key', '=', 'one')
      .execute();
    await markEntitlementsChanged(store.db);
    assert.equal((await changeMarks(store.db)).get('one')!.getTime(), future.getTime());
  });

  it('stamps the time of the mark, not the start of a long transaction', async () => {
    await store.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ started: Date }>`SELECT now() AS started`.execute(trx);
      await sql`SELECT pg_sleep(0.05)`.execute(trx);
      await markEntitlementsChanged(trx);
      const mark = await trx
        .selectFrom('entitlement_sync')
        .select('changed_at')
        .where('connection_key', '=', 'two')
        .executeTakeFirstOrThrow();
      assert.ok(mark.changed_at.getTime() - rows[0]!.started.getTime() >= 40);
    });
  });
});
