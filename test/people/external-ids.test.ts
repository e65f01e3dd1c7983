import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addConnection, caller, changeMarks, eventsOf, insertUser } from './support.ts';

describe('external user ids', () => {
  let t: TestApp;
  let admin: ReturnType<typeof caller>;
  before(async () => {
    t = await createTestApp();
    admin = caller(t, t.adminKey);
    await addConnection(t.store.db, 'dbx');
    await addConnection(t.store.db, 'snow');
  });
  after(async () => {
    await t.close();
  });

  it('falls back to the username until set, then maps explicitly or to no principal', async () => {
    const id = await insertUser(t.store.db, 'ext.user');
    const list = await admin({ url: `/users/${id}/externalIds` });
    assert.deepEqual(list.json().externalIds, [
      { connectionKey: 'dbx', mode: 'unset', principal: null, effectivePrincipal: 'ext.user' },
      { connectionKey: 'snow', mode: 'unset', principal: null, effectivePrincipal: 'ext.user' },
    ]);
    const marks = await changeMarks(t.store.db);
    const set = await admin({
      method: 'PUT',
      url: `/users/${id}/externalIds/dbx`,
      payload: { mode: 'explicit', principal: 'ext.user@corp.example' },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), {
      connectionKey: 'dbx',
      mode: 'explicit',
      principal: 'ext.user@corp.example',
      effectivePrincipal: 'ext.user@corp.example',
    });
    const [event] = await eventsOf(t, set);
    assert.equal(event?.action, 'ExternalUserIdChanged');
    assert.deepEqual(event?.payload, {
      connectionKey: 'dbx',
      before: { mode: 'unset', principal: null },
      after: { mode: 'explicit', principal: 'ext.user@corp.example' },
    });
    assert.ok((await changeMarks(t.store.db)).get('dbx')! > (marks.get('dbx') ?? new Date(0)));
    const none = await admin({
      method: 'PUT',
      url: `/users/${id}/externalIds/snow`,
      payload: { mode: 'none' },
    });
    assert.equal(none.json().effectivePrincipal, null);
    const got = await admin({ url: `/users/${id}/externalIds/snow` });
    assert.equal(got.json().mode, 'none');
    const unset = await admin({
      method: 'PUT',
      url: `/users/${id}/externalIds/dbx`,
      payload: { mode: 'unset' },
    });
    assert.equal(unset.json().effectivePrincipal, 'ext.user');
    const rows = await t.store.db
      .selectFrom('external_user_ids')
      .selectAll()
      .where('user_id', '=', id)
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.connection_key, r.mode]),
      [['snow', 'none']],
    );
  });

  it('refuses a principal another user maps to, explicitly or by username', async () => {
    const alice = await insertUser(t.store.db, 'alice.x');
    const bob = await insertUser(t.store.db, 'bob.x');
    await admin({
      method: 'PUT',
      url: `/users/${alice}/externalIds/dbx`,
      payload: { mode: 'explicit', principal: 'shared' },
    });
    const explicit = await admin({
      method: 'PUT',
      url: `/users/${bob}/externalIds/dbx`,
      payload: { mode: 'explicit', principal: 'SHARED' },
    });
    assert.equal(explicit.statusCode, 409);
    assert.equal(explicit.json().code, 'USER_PRINCIPAL_TAKEN');
    const byUsername = await admin({
      method: 'PUT',
      url: `/users/${bob}/externalIds/snow`,
      payload: { mode: 'explicit', principal: 'alice.x' },
    });
    assert.equal(byUsername.statusCode, 409);
    const elsewhere = await admin({
      method: 'PUT',
      url: `/users/${bob}/externalIds/snow`,
      payload: { mode: 'explicit', principal: 'shared' },
    });
    assert.equal(elsewhere.statusCode, 200, 'another connection is another namespace');
  });

  it('validates the body and answers 404 for an unknown connection', async () => {
    const id = await insertUser(t.store.db, 'ext.valid');
    const bad = await admin({
      method: 'PUT',
      url: `/users/${id}/externalIds/dbx`,
      payload: { mode: 'explicit' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'principal');
    const extra = await admin({
      method: 'PUT',
      url: `/users/${id}/externalIds/dbx`,
      payload: { mode: 'none', principal: 'x' },
    });
    assert.equal(extra.statusCode, 400);
    const unknown = await admin({
      method: 'PUT',
      url: `/users/${id}/externalIds/nowhere`,
      payload: { mode: 'none' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'CONN_NOT_FOUND');
  });
});
