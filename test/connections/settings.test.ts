import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk } from '../support/jobs.ts';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';

const SEED = `
CREATE SCHEMA a; CREATE SCHEMA b;
CREATE TABLE a.t1 (id int); CREATE TABLE a.t2 (id int); CREATE TABLE b.t3 (id int);
`;

describe('object settings: inheritance, overrides and what the crawl visits', () => {
  let wh: TestWarehouse;
  let t: TestApp;
  const auth = () => ({ authorization: t.adminKey });
  before(async () => {
    wh = await createEmbeddedWarehouse();
    await wh.exec(SEED);
    t = await createTestApp({ platforms: platformsFor(wh) });
  });
  after(async () => {
    await t.close();
    await wh.drop();
  });

  const register = async (key: string, isActive: boolean, forceRecursiveCrawl: boolean) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/data/connection',
      headers: auth(),
      payload: {
        connectionKey: key,
        connection: wh.connection,
        settings: { isActive },
        options: { forceRecursiveCrawl },
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const [job] = await runBulk(t.deps, res.json().bulkId);
    assert.equal(job!.state, 'completed', job!.last_error ?? '');
  };
  const obj = async (path: string) => {
    const res = await t.app.inject({ url: `/data/object/${path}`, headers: auth() });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const set = async (path: string, settings: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/data/settings/${path}`,
      headers: auth(),
      payload: { settings },
    });
    assert.equal(res.statusCode, 200, res.body);
    if (res.json().bulkId) await runBulk(t.deps, res.json().bulkId);
    return res.json();
  };
  const db = () => wh.database;

  it('starts new objects inactive and does not crawl below them when isActive is false and the crawl is not forced', async () => {
    await register('lazy', false, false);
    const database = await obj(`lazy/${db()}`);
    assert.equal(database.state, 'inactive');
    assert.deepEqual(database.overrides, { isActive: false });
    assert.equal(database.childCount, 0, 'schemas of an inactive database are not crawled');
    const root = await obj('lazy');
    assert.deepEqual(root.settings.activateNewChildren, { value: false, hasDescendantsWithOverrides: false });
    assert.deepEqual(root.settings.isActive, { value: true, hasDescendantsWithOverrides: true });
  });

  it('crawls below an object once it is activated, and its new children follow activateNewChildren', async () => {
    const res = await set(`lazy/${db()}`, { isActive: true });
    assert.equal(res.object.state, 'active');
    const schemaA = await obj(`lazy/${db()}/a`);
    assert.equal(
      schemaA.state,
      'inactive',
      'new schemas start as the inherited activateNewChildren (false) says',
    );
    assert.equal(schemaA.childCount, 0);
    await set(`lazy/${db()}/a`, { isActive: true, activateNewChildren: true });
    const t1 = await obj(`lazy/${db()}/a/t1`);
    assert.equal(t1.state, 'active');
    assert.deepEqual(t1.overrides, {}, 'tables inherit from the activated schema');
    assert.notEqual(t1.dataSourceId, null);
  });

  it('lists everything inactive when the crawl is forced, with only the top carrying an override', async () => {
    await register('forced', false, true);
    const t3 = await obj(`forced/${db()}/b/t3`);
    assert.equal(t3.state, 'inactive');
    assert.deepEqual(t3.overrides, {});
    assert.equal(t3.dataSourceId, null, 'inactive tables are not data sources');
    const schemaB = await obj(`forced/${db()}/b`);
    assert.deepEqual(schemaB.overrides, {});
  });

  it('activates one table under an inactive schema, and reports the override upward', async () => {
    const res = await set(`forced/${db()}/a/t2`, { isActive: true });
    assert.equal(res.object.state, 'active');
    assert.equal(res.bulkId, null, 'activating a table needs no crawl');
    assert.equal((await obj(`forced/${db()}/a/t1`)).state, 'inactive');
    const database = await obj(`forced/${db()}`);
    assert.deepEqual(database.settings.isActive, { value: false, hasDescendantsWithOverrides: true });
  });

  it('cascades a status change to descendants without their own override, and null restores inheritance', async () => {
    await set(`forced/${db()}`, { isActive: true });
    assert.equal((await obj(`forced/${db()}/a/t1`)).state, 'active');
    assert.equal((await obj(`forced/${db()}/b/t3`)).state, 'active');
    await set(`forced/${db()}/a`, { isActive: false });
    assert.equal((await obj(`forced/${db()}/a/t1`)).state, 'inactive');
    assert.equal((await obj(`forced/${db()}/a/t2`)).state, 'active', 'an override is kept');
    await set(`forced/${db()}/a/t2`, { isActive: null });
    const t2 = await obj(`forced/${db()}/a/t2`);
    assert.equal(t2.state, 'inactive');
    assert.deepEqual(t2.overrides, {});
  });

  it('inherits data owners downward and refuses null on a connection', async () => {
    await set(`forced/${db()}`, { dataOwners: [{ type: 'group', name: 'Finance' }] });
    const t3 = await obj(`forced/${db()}/b/t3`);
    assert.deepEqual(t3.settings.dataOwners, {
      value: [{ type: 'group', name: 'Finance' }],
      hasDescendantsWithOverrides: false,
    });
    const res = await t.app.inject({
      method: 'PUT',
      url: '/data/settings/forced',
      headers: auth(),
      payload: { settings: { isActive: null } },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(
      res.json().errors.map((e: { field: string }) => e.field),
      ['settings.isActive'],
    );
  });

  it('refuses a status change that would cascade to more than 100,000 objects', async () => {
    const schema = await t.store.db
      .selectFrom('data_objects')
      .selectAll()
      .where('connection_key', '=', 'forced')
      .where('name', '=', 'b')
      .executeTakeFirstOrThrow();
    await sql`
      INSERT INTO data_objects (connection_key, path, kind, parent_id, ancestor_ids, name, is_active, state)
      SELECT 'forced', ${schema.path}::text[] || ('bulk_' || g), 'table', ${schema.id}::bigint, ${schema.ancestor_ids}::bigint[] || ${schema.id}::bigint,
             'bulk_' || g, false, 'inactive'
        FROM generate_series(1, 100000) g`.execute(t.store.db);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/data/settings/forced/${db()}`,
      headers: auth(),
      payload: { settings: { isActive: false } },
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'OBJECT_CASCADE_TOO_LARGE');
    const small = await t.app.inject({
      method: 'PUT',
      url: `/data/settings/forced/${db()}/a`,
      headers: auth(),
      payload: { settings: { isActive: true } },
    });
    assert.equal(small.statusCode, 200, 'a smaller cascade is fine');
  });

  it('deletes an object with everything below it and answers the count', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/data/object/lazy', headers: auth() });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().objectPath, ['lazy']);
    assert.ok(res.json().childCount >= 4);
    const gone = await t.app.inject({ url: '/data/connection/lazy', headers: auth() });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().code, 'CONN_NOT_FOUND');
  });
});
