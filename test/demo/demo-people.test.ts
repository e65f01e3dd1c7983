import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PEOPLE, seedDemoPeople } from '../../src/demo/demo-people.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

describe('the demo people', () => {
  let store: TestStore;
  before(async () => {
    store = await createTestStore();
  });
  after(async () => store.close());

  it('are created with their groups and attributes, audited, and only once', async () => {
    assert.deepEqual(
      await seedDemoPeople(store.db),
      DEMO_PEOPLE.map((p) => p.username),
    );
    assert.deepEqual(await seedDemoPeople(store.db), []);
    const emil = await store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'emil')
      .executeTakeFirstOrThrow();
    const groups = await store.db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', 'g.id', 'm.group_id')
      .select('g.name')
      .where('m.user_id', '=', emil.id)
      .execute();
    assert.deepEqual(
      groups.map((g) => g.name),
      ['Analysts'],
    );
    const attributes = await store.db
      .selectFrom('user_attributes')
      .select(['attribute_key', 'attribute_value'])
      .where('user_id', '=', emil.id)
      .orderBy('attribute_key')
      .execute();
    assert.deepEqual(
      attributes.map((a) => `${a.attribute_key}=${a.attribute_value}`),
      ['Department=Sales', 'Region=EMEA'],
    );
    const events = await store.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'UserCreated')
      .execute();
    assert.equal(events.length, DEMO_PEOPLE.length);
  });
});
