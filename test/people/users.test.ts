import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addConnection, caller, changeMarks, eventsOf, insertUser } from './support.ts';

describe('users: REST', () => {
  let t: TestApp;
  let admin: ReturnType<typeof caller>;
  before(async () => {
    t = await createTestApp();
    admin = caller(t, t.adminKey);
    await addConnection(t.store.db, 'warehouse');
  });
  after(async () => {
    await t.close();
  });

  it('shows your own profile with your groups and attributes, to any key', async () => {
    const me = await t.userWith([], 'selfie');
    const group = await admin({ method: 'POST', url: '/groups', payload: { name: 'Analysts' } });
    await admin({ method: 'POST', url: `/groups/${group.json().id}/members`, payload: { userIds: [me.id] } });
    await admin({
      method: 'PUT',
      url: `/users/${me.id}/attributes`,
      payload: { attributes: { Region: ['US', 'CA'] } },
    });
    const res = await caller(t, me.key)({ url: '/users/me' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.username, 'selfie');
    assert.deepEqual(body.groups, [{ id: group.json().id, name: 'Analysts' }]);
    assert.deepEqual(body.attributes, { Region: ['CA', 'US'] });
    assert.equal(body.source, 'bim');
    assert.equal(typeof body.version, 'number');
  });

  it('refuses a username taken in another letter case with 409 naming the field', async () => {
    await admin({ method: 'POST', url: '/users', payload: { username: 'Casey' } });
    const res = await admin({ method: 'POST', url: '/users', payload: { username: 'casey' } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'USER_TAKEN');
    assert.deepEqual(
      res.json().errors.map((e: { field: string }) => e.field),
      ['username'],
    );
  });

  it('validates input with a field path for each bad field', async () => {
    const res = await admin({
      method: 'POST',
      url: '/users',
      payload: { username: 'bad\u0007name', email: 'not-an-email', extra: 1 },
    });
    assert.equal(res.statusCode, 400);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    assert.deepEqual(fields, ['email', 'extra', 'username']);
    const update = await admin({ method: 'PUT', url: '/users/1', payload: { state: 'asleep' } });
    assert.equal(update.statusCode, 400);
    assert.equal(update.json().errors[0].field, 'state');
  });

  it('searches users by text, exact username, group, attribute and state, with paging', async () => {
    const ids = [];
    for (const name of ['pat.one', 'pat.two', 'pat.three']) ids.push(await insertUser(t.store.db, name));
    await insertUser(t.store.db, 'other', { email: 'Pat@Example.com', attributes: { Office: ['EU'] } });
    const group = (await admin({ method: 'POST', url: '/groups', payload: { name: 'Pats' } })).json();
    await admin({
      method: 'POST',
      url: `/groups/${group.id}/members`,
      payload: { userIds: [ids[0], ids[2]] },
    });
    const names = async (query: string) => {
      const res = await admin({ url: `/users?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().users.map((u: { username: string }) => u.username);
    };
    assert.deepEqual(await names('search=PAT'), ['other', 'pat.one', 'pat.three', 'pat.two']);
    assert.deepEqual(await names('username=PAT.TWO'), ['pat.two']);
    assert.deepEqual(await names('email=pat@example.com'), ['other']);
    assert.deepEqual(await names('group=pats'), ['pat.one', 'pat.three']);
    assert.deepEqual(await names(`groupId=${group.id}&search=three`), ['pat.three']);
    assert.deepEqual(await names('attribute=Office=EU'), ['other']);
    assert.deepEqual(await names('attribute=Office'), ['other']);
    assert.deepEqual(await names('attribute=Office=US'), []);
    assert.deepEqual(await names('search=pat&state=disabled'), []);
    const first = await admin({ url: '/users?search=pat&size=2' });
    assert.equal(first.json().next, 2);
    const second = await admin({ url: '/users?search=pat&size=2&offset=2' });
    assert.equal(second.json().next, null);
    assert.equal(second.json().users.length, 2);
  });

  it('changes name, email and state, audits the change, and bumps the version', async () => {
    const id = await insertUser(t.store.db, 'changer');
    const before = (await admin({ url: `/users/${id}` })).json();
    const res = await admin({
      method: 'PUT',
      url: `/users/${id}`,
      payload: { name: 'Chang Er', email: 'c@example.com', state: 'disabled' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().state, 'disabled');
    assert.equal(res.json().name, 'Chang Er');
    assert.equal(res.json().version, before.version + 1);
    const [event] = await eventsOf(t, res);
    assert.equal(event?.action, 'UserUpdated');
    assert.deepEqual(event?.payload, {
      via: 'api',
      changes: {
        name: { before: null, after: 'Chang Er' },
        email: { before: null, after: 'c@example.com' },
        state: { before: 'active', after: 'disabled' },
      },
    });
    const again = await admin({ method: 'PUT', url: `/users/${id}`, payload: { state: 'disabled' } });
    assert.equal(again.json().version, before.version + 1, 'no change, no new version');
    assert.equal((await eventsOf(t, again)).length, 0, 'no change, no event');
  });

  it('stops the keys of a disabled user and tells entitlement sync', async () => {
    const user = await t.userWith([]);
    const marksBefore = await changeMarks(t.store.db);
    await admin({ method: 'PUT', url: `/users/${user.id}`, payload: { state: 'disabled' } });
    const marks = await changeMarks(t.store.db);
    assert.ok(marks.get('warehouse'));
    assert.ok(!marksBefore.get('warehouse') || marks.get('warehouse')! > marksBefore.get('warehouse')!);
    const res = await caller(t, user.key)({ url: '/users/me' });
    assert.equal(res.statusCode, 401);
  });

  it('refuses to let you disable or delete yourself', async () => {
    const me = await t.userWith(['USER_ADMIN']);
    const as = caller(t, me.key);
    const disable = await as({ method: 'PUT', url: `/users/${me.id}`, payload: { state: 'disabled' } });
    assert.equal(disable.statusCode, 409);
    assert.equal(disable.json().code, 'USER_SELF_CHANGE');
    const remove = await as({ method: 'DELETE', url: `/users/${me.id}` });
    assert.equal(remove.statusCode, 409);
    assert.equal((await as({ url: '/users/me' })).statusCode, 200);
  });

  it('deletes a user with their keys, memberships and attributes', async () => {
    const user = await t.userWith([], 'doomed');
    const group = (await admin({ method: 'POST', url: '/groups', payload: { name: 'Doomed group' } })).json();
    await admin({ method: 'POST', url: `/groups/${group.id}/members`, payload: { userIds: [user.id] } });
    await admin({
      method: 'POST',
      url: `/users/${user.id}/attributes`,
      payload: { attributes: { K: ['v'] } },
    });
    const res = await admin({ method: 'DELETE', url: `/users/${user.id}` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().username, 'doomed');
    const [event] = await eventsOf(t, res);
    assert.deepEqual(event?.payload, { via: 'api', username: 'doomed', groups: 1 });
    assert.equal((await admin({ url: `/users/${user.id}` })).statusCode, 404);
    assert.equal((await caller(t, user.key)({ url: '/users/me' })).statusCode, 401);
    assert.equal((await admin({ url: `/groups/${group.id}` })).json().memberCount, 0);
    const left = await t.store.db
      .selectFrom('user_attributes')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(left, []);
  });

  it('refuses every change to people without USER_ADMIN', async () => {
    const plain = caller(t, (await t.userWith(['GOVERNANCE', 'APPLICATION_ADMIN'])).key);
    const target = await insertUser(t.store.db, 'protected');
    for (const [method, url, payload] of [
      ['GET', '/users', undefined],
      ['PUT', `/users/${target}`, { name: 'x' }],
      ['DELETE', `/users/${target}`, undefined],
      ['PUT', `/users/${target}/attributes`, { attributes: {} }],
      ['POST', '/groups', { name: 'x' }],
      ['PUT', `/users/${target}/externalIds/warehouse`, { mode: 'none' }],
    ] as const) {
      const res = await plain({ method, url, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json().code, 'AUTH_FORBIDDEN');
    }
  });
});
