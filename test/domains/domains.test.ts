import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from '../datasources/fixture.ts';

interface Domain {
  id: number;
  name: string;
  description: string | null;
  dataSourceCount: number;
  permissions: Array<{ userId: number; username: string; permissions: string[] }>;
}

describe('domains: data sources in at most one domain, and domain-scoped permissions', () => {
  let f: MetadataFixture;
  let customers = '';
  let orders = '';
  let employees = '';
  let sales: Domain;
  let people: Domain;
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

  const assign = (id: number, body: Record<string, unknown>, key?: string) =>
    f.call({ method: 'PUT', url: `/domain/${id}/dataSources`, payload: body }, key);
  const domainOf = async (dataSourceId: string) =>
    (await f.ok<{ domain: { id: number } | null }>({ url: `/dataSource/${dataSourceId}` })).domain?.id ??
    null;

  it('creates domains (GOVERNANCE only), with names unique regardless of case, and audits it', async () => {
    const res = await f.call({
      method: 'POST',
      url: '/domain',
      payload: { name: 'Sales', description: 'Revenue' },
    });
    assert.equal(res.statusCode, 201, res.body);
    sales = res.json();
    assert.deepEqual(
      { ...sales, id: 0 },
      {
        id: 0,
        name: 'Sales',
        description: 'Revenue',
        dataSourceCount: 0,
        permissions: [],
        createdAt: (sales as unknown as { createdAt: string }).createdAt,
        createdBy: 1,
      },
    );
    assert.equal((await auditOf(f.t, res))[0]!.action, 'DomainCreated');
    people = await f.ok<Domain>({ method: 'POST', url: '/domain', payload: { name: 'People' } });
    const taken = await f.call({ method: 'POST', url: '/domain', payload: { name: ' sales ' } });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().code, 'DOMAIN_TAKEN');
    assert.deepEqual(fieldsOf(taken), ['name']);
    const plain = await f.t.userWith(['CREATE_DATA_SOURCE']);
    const denied = await f.call({ method: 'POST', url: '/domain', payload: { name: 'Mine' } }, plain.key);
    assert.equal(denied.statusCode, 403);
    const empty = await f.call({ method: 'POST', url: '/domain', payload: { name: '  ' } });
    assert.deepEqual(fieldsOf(empty), ['name']);
  });

  it('lists, reads, renames and describes domains', async () => {
    const list = await f.ok<{ domains: Domain[]; next: number | null }>({ url: '/domain' });
    assert.deepEqual(
      list.domains.map((d) => d.name),
      ['People', 'Sales'],
    );
    assert.deepEqual(
      (await f.ok<{ domains: Domain[] }>({ url: '/domain?searchText=SAL' })).domains.map((d) => d.id),
      [sales.id],
    );
    const renamed = await f.call({
      method: 'PUT',
      url: `/domain/${people.id}`,
      payload: { name: 'HR', description: 'Staff' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'HR');
    assert.equal((await auditOf(f.t, renamed))[0]!.action, 'DomainUpdated');
    const clash = await f.call({ method: 'PUT', url: `/domain/${people.id}`, payload: { name: 'SALES' } });
    assert.equal(clash.statusCode, 409);
    assert.equal((await f.ok<Domain>({ url: `/domain/${people.id}` })).name, 'HR');
    const missing = await f.call({ url: '/domain/9999' });
    assert.equal(missing.json().code, 'DOMAIN_NOT_FOUND');
  });

  it('lets GOVERNANCE add data sources, and move one from another domain, auditing it', async () => {
    const res = await assign(sales.id, { add: [customers, orders] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().added, [customers, orders]);
    assert.equal(res.json().domain.dataSourceCount, 2);
    const [event] = await auditOf(f.t, res);
    assert.equal(event!.action, 'DomainDataSourcesUpdated');
    const moved = await assign(people.id, { add: [orders, employees] });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(moved.json().moved, [orders]);
    assert.equal(await domainOf(orders), people.id, 'a data source is in at most one domain');
    assert.equal((await f.ok<Domain>({ url: `/domain/${sales.id}` })).dataSourceCount, 1);
    const summary = await f.ok<{ dataSources: Array<{ id: string; domain: { name: string } | null }> }>({
      url: `/dataSource?domain=${people.id}`,
    });
    assert.deepEqual(
      summary.dataSources.map((d) => [d.id, d.domain?.name]),
      [
        [employees, 'HR'],
        [orders, 'HR'],
      ],
    );
  });

  it('lets an owner add their data source that is in no domain, but only GOVERNANCE moves or removes one', async () => {
    await assign(people.id, { remove: [employees] }).then((r) => assert.equal(r.statusCode, 200, r.body));
    const owner = await f.t.userWith([]);
    await f.ok({
      method: 'POST',
      url: `/dataSource/${employees}/access`,
      payload: { profileId: owner.id, state: 'owner' },
    });
    await f.ok({
      method: 'POST',
      url: `/dataSource/${customers}/access`,
      payload: { profileId: owner.id, state: 'owner' },
    });
    const added = await assign(people.id, { add: [employees] }, owner.key);
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(await domainOf(employees), people.id);
    const move = await assign(people.id, { add: [customers] }, owner.key);
    assert.equal(move.statusCode, 403);
    assert.deepEqual(fieldsOf(move), ['add[0]']);
    assert.equal(await domainOf(customers), sales.id, 'not moved');
    const events = await auditOf(f.t, move);
    assert.deepEqual(
      events.map((e) => [e.action, e.action_status, e.targets]),
      [['AuthorizationDenied', 'denied', [{ type: 'domain', id: String(people.id) }]]],
    );
    const remove = await assign(people.id, { remove: [employees] }, owner.key);
    assert.equal(remove.statusCode, 403);
    assert.deepEqual(fieldsOf(remove), ['remove[0]']);
    const stranger = await f.t.userWith([]);
    await assign(people.id, { remove: [employees] });
    const notOwned = await assign(people.id, { add: [employees] }, stranger.key);
    assert.equal(notOwned.statusCode, 403);
    assert.equal(await domainOf(employees), null);
  });

  it('refuses unknown data sources, repeats, and removing what is not in the domain, by field', async () => {
    const unknown = await assign(sales.id, { add: [customers, '999999'] });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(fieldsOf(unknown), ['add[1]']);
    const twice = await assign(sales.id, { add: [customers], remove: [customers] });
    assert.deepEqual(fieldsOf(twice), ['remove[0]']);
    const notHere = await assign(sales.id, { remove: [employees] });
    assert.equal(notHere.statusCode, 400);
    assert.deepEqual(fieldsOf(notHere), ['remove[0]']);
    const bad = await assign(sales.id, { add: ['x'] });
    assert.deepEqual(fieldsOf(bad), ['add[0]']);
  });

  it('replaces domain permissions (GOVERNANCE only) and audits the change', async () => {
    const alice = await f.t.userWith([], 'alice');
    const bob = await f.t.userWith([], 'bob');
    const res = await f.call({
      method: 'PUT',
      url: `/domain/${sales.id}/permissions`,
      payload: {
        users: [
          { userId: alice.id, permissions: ['Manage Policies', 'Audit Activity'] },
          { userId: bob.id, permissions: ['Audit Activity'] },
        ],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().permissions, [
      { userId: alice.id, username: 'alice', permissions: ['Manage Policies', 'Audit Activity'] },
      { userId: bob.id, username: 'bob', permissions: ['Audit Activity'] },
    ]);
    const [event] = await auditOf(f.t, res);
    assert.equal(event!.action, 'DomainPermissionsUpdated');
    const replaced = await f.ok<Domain>({
      method: 'PUT',
      url: `/domain/${sales.id}/permissions`,
      payload: { users: [{ userId: bob.id, permissions: ['Manage Policies'] }] },
    });
    assert.deepEqual(replaced.permissions, [
      { userId: bob.id, username: 'bob', permissions: ['Manage Policies'] },
    ]);
    const bad = await f.call({
      method: 'PUT',
      url: `/domain/${sales.id}/permissions`,
      payload: {
        users: [
          { userId: bob.id, permissions: ['Own Everything'] },
          { userId: 99999, permissions: [] },
        ],
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(fieldsOf(bad), ['users[0].permissions[0]']);
    const unknown = await f.call({
      method: 'PUT',
      url: `/domain/${sales.id}/permissions`,
      payload: { users: [{ userId: 99999, permissions: [] }] },
    });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(fieldsOf(unknown), ['users[0].userId']);
    const denied = await f.call(
      { method: 'PUT', url: `/domain/${sales.id}/permissions`, payload: { users: [] } },
      alice.key,
    );
    assert.equal(denied.statusCode, 403);
  });

  it('deletes a domain, leaving its data sources in no domain', async () => {
    const res = await f.call({ method: 'DELETE', url: `/domain/${sales.id}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: sales.id, dataSourceCount: 1 });
    assert.equal((await auditOf(f.t, res))[0]!.action, 'DomainDeleted');
    assert.equal(await domainOf(customers), null);
    const none = await f.ok<{ dataSources: Array<{ id: string }> }>({ url: '/dataSource?domain=none' });
    assert.deepEqual(none.dataSources.map((d) => d.id).sort(), [customers, employees].sort());
    const permissions = await f.t.store.db
      .selectFrom('domain_permissions')
      .selectAll()
      .where('domain_id', '=', sales.id)
      .execute();
    assert.deepEqual(permissions, []);
  });
});
