import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from './fixture.ts';

interface Summary {
  id: string;
  name: string;
  connectionKey: string;
  status: string;
  tags: string[];
  domain: { id: number; name: string } | null;
}

describe('data sources: search, details, health and members', () => {
  let f: MetadataFixture;
  let customers = '';
  let orders = '';
  let employees = '';
  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    customers = await f.dataSourceId('wh', 'sales', 'customers');
    orders = await f.dataSourceId('wh', 'sales', 'orders');
    employees = await f.dataSourceId('wh', 'hr', 'employees');
  });
  after(async () => {
    await f.close();
  });

  const search = async (query: string) =>
    (await f.ok<{ dataSources: Summary[]; next: number | null }>({ url: `/dataSource?${query}` }))
      .dataSources;
  const ids = async (query: string) => (await search(query)).map((d) => d.id);

  it('lists every active table as a data source named <database>.<schema>.<table>', async () => {
    const all = await search('');
    assert.deepEqual(
      all.map((d) => d.name),
      [`${f.wh.database}.hr.employees`, `${f.wh.database}.sales.customers`, `${f.wh.database}.sales.orders`],
    );
    assert.ok(all.every((d) => d.status === 'enabled' && d.connectionKey === 'wh'));
  });

  it('searches by name, connection and schema, with paging', async () => {
    assert.deepEqual(await ids('searchText=CUSTOM'), [customers]);
    assert.deepEqual(await ids('searchText=sales.orders'), [orders]);
    assert.deepEqual(await ids('schema=hr'), [employees]);
    assert.deepEqual(await ids('schema=hr,sales&searchText=e'), [employees, customers, orders]);
    assert.deepEqual(await ids('connection=other'), []);
    assert.deepEqual(await ids(`database=${f.wh.database}&schema=sales`), [customers, orders]);
    const page = await f.ok<{ dataSources: Summary[]; next: number | null }>({ url: '/dataSource?size=2' });
    assert.equal(page.dataSources.length, 2);
    assert.equal(page.next, 2);
  });

  it('finds data sources by a parent tag when a child tag is on them or on one of their columns', async () => {
    await f.ok({
      method: 'POST',
      url: '/tag',
      payload: { tags: [{ name: 'PII.Email' }, { name: 'Sensitive' }] },
    });
    await f.ok({ method: 'POST', url: `/tag/column/${employees}_email`, payload: ['PII.Email'] });
    await f.ok({ method: 'POST', url: `/tag/datasource/${orders}`, payload: ['Sensitive'] });
    assert.deepEqual(await ids('tag=PII'), [employees], 'PII matches PII.Email on a column');
    assert.deepEqual(await ids('tag=PII.Email'), [employees]);
    assert.deepEqual(await ids('tag=PII.Email.Work'), [], 'a child does not match its parent');
    assert.deepEqual(await ids('tag=PII&tag=Sensitive'), [employees, orders], 'repeated tags match any');
    assert.deepEqual(await ids('tag=Sensitive&schema=hr'), [], 'filters combine with AND');
    const [summary] = await search('tag=Sensitive');
    assert.deepEqual(summary!.tags, ['Sensitive']);
    const bad = await f.call({ url: '/dataSource?tag=a..b' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(fieldsOf(bad), ['tag[0]']);
  });

  it('shows a data source with its path, columns, tags, owners and passing crawl check', async () => {
    await f.ok({
      method: 'PUT',
      url: `/data/settings/wh/${f.wh.database}`,
      payload: { settings: { dataOwners: [{ type: 'group', name: 'Finance' }] } },
    });
    const owner = await f.t.userWith([], 'olivia');
    await f.ok({
      method: 'POST',
      url: `/dataSource/${employees}/access`,
      payload: { profileId: owner.id, state: 'owner' },
    });
    const ds = await f.ok<Record<string, unknown> & { columns: Array<Record<string, unknown>> }>({
      url: `/dataSource/${employees}`,
    });
    assert.equal(ds['name'], `${f.wh.database}.hr.employees`);
    assert.deepEqual(ds['objectPath'], ['wh', f.wh.database, 'hr', 'employees']);
    assert.equal(ds['technology'], 'PostgreSQL');
    assert.equal(ds['status'], 'enabled');
    assert.equal(ds['healthStatus'], 'healthy');
    assert.deepEqual(
      (ds['healthChecks'] as Array<{ name: string; status: string }>).map((c) => [c.name, c.status]),
      [
        ['crawl', 'passed'],
        ['discovery', 'unknown'],
        ['policyApplied', 'unknown'],
      ],
    );
    assert.deepEqual(
      ds.columns.map((c) => [
        c['name'],
        c['dataType'],
        (c['tags'] as Array<{ name: string }>).map((t) => t.name),
      ]),
      [
        ['id', 'integer', []],
        ['salary', 'decimal', []],
        ['email', 'text', ['PII.Email']],
      ],
    );
    assert.deepEqual(ds['owners'], [
      { type: 'user', id: owner.id, name: 'olivia', via: 'member' },
      { type: 'group', id: null, name: 'Finance', via: 'dataOwnersSetting' },
    ]);
    const missing = await f.call({ url: '/dataSource/987654' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'DATASOURCE_NOT_FOUND');
    const bad = await f.call({ url: '/dataSource/abc' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(fieldsOf(bad), ['id']);
  });

  it('makes names unique with the connection key when two connections hold the same table', async () => {
    await f.register('wh2');
    const all = await search('searchText=customers');
    assert.deepEqual(all.map((d) => d.name).sort(), [
      `wh.${f.wh.database}.sales.customers`,
      `wh2.${f.wh.database}.sales.customers`,
    ]);
    const one = await f.ok<{ name: string }>({ url: `/dataSource/${customers}` });
    assert.equal(one.name, `wh.${f.wh.database}.sales.customers`);
    assert.deepEqual(await ids('connection=wh2&schema=hr').then((x) => x.length), 1);
  });

  it('disables a data source whose table was dropped: crawl check failed, hidden unless asked for', async () => {
    await f.wh.exec('DROP TABLE sales.orders');
    await f.crawl('wh');
    assert.ok(!(await ids('connection=wh')).includes(orders));
    const withDisabled = await search('connection=wh&includeDisabled=true');
    assert.equal(withDisabled.find((d) => d.id === orders)?.status, 'disabled');
    const ds = await f.ok<{
      status: string;
      healthStatus: string;
      healthChecks: Array<{ name: string; status: string }>;
    }>({
      url: `/dataSource/${orders}`,
    });
    assert.equal(ds.status, 'disabled');
    assert.equal(ds.healthStatus, 'notHealthy');
    assert.equal(ds.healthChecks[0]!.status, 'failed');
    const object = await f.ok<{ dataSourceId: string | null }>({
      url: `/data/object/wh/${f.wh.database}/sales/orders`,
    });
    assert.equal(object.dataSourceId, null);
  });

  it('hides inactive tables', async () => {
    await f.ok({
      method: 'PUT',
      url: `/data/settings/wh2/${f.wh.database}/hr`,
      payload: { settings: { isActive: false } },
    });
    assert.deepEqual(await ids('connection=wh2&schema=hr'), []);
  });

  describe('members', () => {
    const changedAt = async () =>
      (
        await f.t.store.db.selectFrom('entitlement_sync').select(['connection_key', 'changed_at']).execute()
      ).map((r) => [r.connection_key, r.changed_at.getTime()] as const);

    it('adds a subscriber with an expiry, audits it and marks entitlements changed', async () => {
      const user = await f.t.userWith([], 'sam');
      const before = await changedAt();
      const expiration = new Date(Date.now() + 86_400_000).toISOString();
      const res = await f.call({
        method: 'POST',
        url: `/dataSource/${customers}/access`,
        payload: { profileId: user.id, state: 'subscribed', expiration },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        { ...(res.json() as Record<string, unknown>), addedAt: undefined },
        {
          profileId: user.id,
          username: 'sam',
          name: null,
          email: null,
          state: 'subscribed',
          expiration,
          expired: false,
          addedAt: undefined,
          addedBy: 1,
        },
      );
      const [event] = await auditOf(f.t, res);
      assert.equal(event!.action, 'DataSourceMemberAdded');
      assert.deepEqual(event!.payload, { state: 'subscribed', expiration, previousState: null });
      const after = await changedAt();
      assert.deepEqual(after.map(([k]) => k).sort(), ['wh', 'wh2']);
      for (const [key, at] of after) {
        const was = before.find(([k]) => k === key);
        assert.ok(!was || at > was[1], `entitlements of ${key} marked changed`);
      }
      const list = await f.ok<{ members: Array<{ username: string; state: string }>; count: number }>({
        url: `/dataSource/${customers}/access`,
      });
      assert.deepEqual(
        list.members.map((m) => [m.username, m.state]),
        [['sam', 'subscribed']],
      );
      assert.equal(list.count, 1);
    });

    it('lets an owner manage members, but not a subscriber or a stranger, auditing the denial', async () => {
      const owner = await f.t.userWith([], 'owen');
      const stranger = await f.t.userWith([], 'stan');
      await f.ok({
        method: 'POST',
        url: `/dataSource/${customers}/access`,
        payload: { profileId: owner.id, state: 'owner' },
      });
      const sam = (
        await f.t.store.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'sam')
          .executeTakeFirstOrThrow()
      ).id;
      const changed = await f.ok<{ state: string }>(
        {
          method: 'POST',
          url: `/dataSource/${customers}/access`,
          payload: { profileId: sam, state: 'expert' },
        },
        owner.key,
      );
      assert.equal(changed.state, 'expert', 'an owner changes a role');
      const denied = await f.call(
        {
          method: 'POST',
          url: `/dataSource/${customers}/access`,
          payload: { profileId: stranger.id, state: 'owner' },
        },
        stranger.key,
      );
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(denied.json().requiredPermissions, ['GOVERNANCE']);
      const events = await auditOf(f.t, denied);
      assert.deepEqual(
        events.map((e) => [e.action, e.action_status]),
        [['AuthorizationDenied', 'denied']],
      );
      const members = await f.t.store.db
        .selectFrom('data_source_members')
        .select('user_id')
        .where('user_id', '=', stranger.id)
        .execute();
      assert.deepEqual(members, [], 'nothing changed');
    });

    it('makes anyone in an owner group named by dataOwners an owner', async () => {
      const finance = await f.t.store.db
        .insertInto('groups')
        .values({ name: 'Finance', description: null, external_id: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const grace = await f.t.userWith([], 'grace');
      await f.t.store.db
        .insertInto('group_members')
        .values({ group_id: finance.id, user_id: grace.id })
        .execute();
      const other = await f.t.userWith([]);
      await f.ok(
        {
          method: 'POST',
          url: `/dataSource/${employees}/access`,
          payload: { profileId: other.id, state: 'subscribed' },
        },
        grace.key,
      );
      const ds = await f.ok<{ owners: unknown[] }>({ url: `/dataSource/${employees}` });
      assert.deepEqual(ds.owners.at(-1), {
        type: 'group',
        id: finance.id,
        name: 'Finance',
        via: 'dataOwnersSetting',
      });
    });

    it('refuses an unknown user, a past expiry and a bad state, naming the field', async () => {
      const unknown = await f.call({
        method: 'POST',
        url: `/dataSource/${customers}/access`,
        payload: { profileId: 99999, state: 'owner' },
      });
      assert.equal(unknown.statusCode, 404);
      assert.deepEqual(fieldsOf(unknown), ['profileId']);
      const past = await f.call({
        method: 'POST',
        url: `/dataSource/${customers}/access`,
        payload: { profileId: 1, state: 'owner', expiration: '2001-01-01T00:00:00Z' },
      });
      assert.equal(past.statusCode, 400);
      assert.deepEqual(fieldsOf(past), ['expiration']);
      const state = await f.call({
        method: 'POST',
        url: `/dataSource/${customers}/access`,
        payload: { profileId: 1, state: 'pending' },
      });
      assert.equal(state.statusCode, 400);
      assert.deepEqual(fieldsOf(state), ['state']);
    });

    it('removes a member, audits it and marks entitlements changed; a second removal is 404', async () => {
      const sam = (
        await f.t.store.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'sam')
          .executeTakeFirstOrThrow()
      ).id;
      const before = await changedAt();
      const res = await f.call({ method: 'DELETE', url: `/dataSource/${customers}/access/${sam}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().username, 'sam');
      assert.equal((await auditOf(f.t, res))[0]!.action, 'DataSourceMemberRemoved');
      const after = await changedAt();
      for (const [key, at] of after) assert.ok(at > before.find(([k]) => k === key)![1], key);
      const again = await f.call({ method: 'DELETE', url: `/dataSource/${customers}/access/${sam}` });
      assert.equal(again.statusCode, 404);
      assert.equal(again.json().code, 'DATASOURCE_MEMBER_NOT_FOUND');
    });
  });
});
