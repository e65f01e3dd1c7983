import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditOf, createMetadataFixture, type MetadataFixture } from '../datasources/fixture.ts';

interface AccessRequest {
  id: number;
  dataSourceId: string;
  userId: number;
  state: string;
  reason: string | null;
  decisionNote: string | null;
  mayDecide?: boolean;
}

describe('access requests: asking for a data source behind an approval policy, and deciding', () => {
  let f: MetadataFixture;
  let customers = '';
  let orders = '';
  let employees = '';
  let owner: { id: number; key: string };
  let requester: { id: number; key: string };
  let stranger: { id: number; key: string };
  let userAdmin: { id: number; key: string };

  const roleOf = async (objectId: string, userId: number) =>
    (
      await f.t.store.db
        .selectFrom('data_source_members')
        .select('role')
        .where('object_id', '=', objectId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    )?.role;

  const ask = (dataSourceId: string | number, key: string, reason?: string) =>
    f.call(
      {
        method: 'POST',
        url: '/dataSource/subscribe',
        payload: { dataSourceId, ...(reason ? { reason } : {}) },
      },
      key,
    );

  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    customers = await f.dataSourceId('wh', 'sales', 'customers');
    orders = await f.dataSourceId('wh', 'sales', 'orders');
    employees = await f.dataSourceId('wh', 'hr', 'employees');
    owner = await f.t.userWith([], 'customers-owner');
    requester = await f.t.userWith([], 'requester');
    stranger = await f.t.userWith([], 'stranger');
    userAdmin = await f.t.userWith(['USER_ADMIN'], 'user-admin');
    await f.ok({
      method: 'POST',
      url: `/dataSource/${customers}/access`,
      payload: { profileId: owner.id, state: 'owner' },
    });
    await f.ok({
      method: 'POST',
      url: `/dataSource/${orders}/access`,
      payload: { profileId: owner.id, state: 'owner' },
    });
    await f.ok({ method: 'POST', url: '/tag', payload: { name: 'Approval.Needed' } });
    await f.ok({ method: 'POST', url: `/tag/datasource/${customers}`, payload: ['Approval.Needed'] });
    await f.ok({
      method: 'POST',
      url: '/api/v2/policy',
      payload: {
        policyKey: 'approve customers',
        type: 'subscription',
        actions: {
          type: 'approval',
          approvals: [{ requiredPermission: 'OWNER' }, { requiredPermission: 'USER_ADMIN' }],
        },
        circumstances: [{ type: 'tags', tag: 'Approval.Needed' }],
      },
    });
    await f.ok({
      method: 'POST',
      url: `/policy/handler/${orders}`,
      payload: {
        policyKey: 'governors approve orders',
        type: 'subscription',
        actions: { type: 'approval', approvals: [{ requiredPermission: 'GOVERNANCE' }] },
      },
    });
  });
  after(async () => {
    await f.close();
  });

  it('refuses a request where no approval policy applies', async () => {
    const res = await ask(employees, requester.key);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'ACCESS_NOT_REQUESTABLE');
    assert.equal((await ask('999999', requester.key)).statusCode, 404);
  });

  it('records a request once and returns the pending one when asked again', async () => {
    const res = await ask(Number(customers), requester.key, 'quarterly report');
    assert.equal(res.statusCode, 201, res.body);
    const request = res.json() as AccessRequest;
    assert.equal(request.state, 'pending');
    assert.equal(request.reason, 'quarterly report');
    assert.equal(request.dataSourceId, customers);
    assert.deepEqual(
      (await auditOf(f.t, res)).map((e) => e.action),
      ['AccessRequested'],
    );
    const again = await ask(customers, requester.key);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, request.id);
    assert.deepEqual(await auditOf(f.t, again), [], 'asking again writes nothing');
  });

  it('shows requesters their own requests and approvers those they may decide', async () => {
    const list = async (key: string, query = '') =>
      (await f.ok<{ requests: AccessRequest[] }>({ url: `/requests${query}` }, key)).requests;
    assert.deepEqual(
      (await list(requester.key)).map((r) => [r.dataSourceId, r.mayDecide]),
      [[customers, false]],
    );
    assert.deepEqual(
      (await list(owner.key)).map((r) => [r.userId, r.mayDecide]),
      [[requester.id, true]],
    );
    assert.deepEqual(
      (await list(userAdmin.key, '?state=pending')).map((r) => r.mayDecide),
      [true],
    );
    assert.deepEqual(await list(userAdmin.key, '?state=approved,denied'), []);
    assert.deepEqual(await list(stranger.key), []);
  });

  it('refuses decisions from strangers and from the requester', async () => {
    const [request] = (await f.ok<{ requests: AccessRequest[] }>({ url: '/requests' }, requester.key))
      .requests;
    const byStranger = await f.call(
      { method: 'POST', url: `/requests/${request!.id}/approve`, payload: {} },
      stranger.key,
    );
    assert.equal(byStranger.statusCode, 403);
    assert.equal(byStranger.json().code, 'AUTH_FORBIDDEN');
    assert.deepEqual(
      (await auditOf(f.t, byStranger)).map((e) => e.action),
      ['AuthorizationDenied'],
    );
    const byRequester = await f.call(
      { method: 'POST', url: `/requests/${request!.id}/approve`, payload: {} },
      requester.key,
    );
    assert.equal(byRequester.statusCode, 403);
    assert.equal(await roleOf(customers, requester.id), undefined);
  });

  it('subscribes the requester when an owner approves, once', async () => {
    const [request] = (await f.ok<{ requests: AccessRequest[] }>({ url: '/requests' }, requester.key))
      .requests;
    const syncBefore = await f.t.store.db
      .selectFrom('entitlement_sync')
      .select('changed_at')
      .where('connection_key', '=', 'wh')
      .executeTakeFirst();
    const res = await f.call(
      { method: 'POST', url: `/requests/${request!.id}/approve`, payload: { note: 'ok for Q3' } },
      owner.key,
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().state, 'approved');
    assert.equal(res.json().decisionNote, 'ok for Q3');
    assert.equal(await roleOf(customers, requester.id), 'subscriber');
    const syncAfter = await f.t.store.db
      .selectFrom('entitlement_sync')
      .select('changed_at')
      .where('connection_key', '=', 'wh')
      .executeTakeFirstOrThrow();
    assert.ok(
      syncAfter.changed_at.getTime() > (syncBefore?.changed_at.getTime() ?? 0),
      'entitlements were marked changed',
    );
    assert.deepEqual(
      (await auditOf(f.t, res)).map((e) => e.action),
      ['AccessRequestApproved'],
    );
    const twice = await f.call(
      { method: 'POST', url: `/requests/${request!.id}/deny`, payload: {} },
      owner.key,
    );
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().code, 'ACCESS_REQUEST_DECIDED');
    const subscribed = await ask(customers, requester.key);
    assert.equal(subscribed.statusCode, 409);
    assert.equal(subscribed.json().code, 'ACCESS_NOT_REQUESTABLE');
  });

  it('lets only the permissions an approval lists decide: GOVERNANCE, not the owner, for orders', async () => {
    const res = await ask(orders, stranger.key);
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id as number;
    const byOwner = await f.call({ method: 'POST', url: `/requests/${id}/deny`, payload: {} }, owner.key);
    assert.equal(byOwner.statusCode, 403);
    const byUserAdmin = await f.call(
      { method: 'POST', url: `/requests/${id}/deny`, payload: {} },
      userAdmin.key,
    );
    assert.equal(byUserAdmin.statusCode, 403);
    const governor = await f.t.userWith(['GOVERNANCE']);
    const denied = await f.call(
      { method: 'POST', url: `/requests/${id}/deny`, payload: { note: 'no need' } },
      governor.key,
    );
    assert.equal(denied.statusCode, 200, denied.body);
    assert.equal(denied.json().state, 'denied');
    assert.equal(await roleOf(orders, stranger.id), undefined, 'a denial subscribes nobody');
    assert.equal(
      (await f.call({ method: 'POST', url: '/requests/999999/approve', payload: {} })).statusCode,
      404,
    );
  });
});
