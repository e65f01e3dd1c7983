import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isWellFormedApiKey } from '../../src/auth/api-key.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { assertNotStored } from '../support/plaintext.ts';

describe('API keys', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  const as = (key: string) => ({ authorization: key });

  it('shows a new key once, and it works at once', async () => {
    const user = await t.userWith([]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(user.key),
      payload: { name: 'laptop' },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
    const created = res.json();
    assert.ok(isWellFormedApiKey(created.key));
    assert.equal(created.prefix, created.key.slice(0, 10));
    const me = await t.app.inject({ url: '/users/me', headers: as(created.key) });
    assert.equal(me.json().id, user.id);
    const list = await t.app.inject({ url: '/apikeys', headers: as(user.key) });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(created.key), 'listings never show a key');
    assert.deepEqual(
      list.json().apiKeys.map((k: { name: string }) => k.name),
      ['laptop', 'test'],
    );
  });

  it('never stores, logs or audits a key in plaintext', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(t.adminKey),
      payload: { name: 'plaintext-probe' },
    });
    const key: string = res.json().key;
    await t.app.inject({ url: '/users/me', headers: as(key) });
    await assertNotStored(t.store.db, key);
    await assertNotStored(t.store.db, t.adminKey);
    const logs = t.logs.join('');
    assert.ok(
      logs.includes('"authorization":"[REDACTED]"') || !logs.includes('authorization'),
      'authorization header redacted',
    );
    assert.ok(!logs.includes(key) && !logs.includes(t.adminKey), 'logs hold no key');
  });

  it('expires keys at their expiry time', async () => {
    const user = await t.userWith([]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(user.key),
      payload: { name: 'short', expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    assert.equal(res.statusCode, 201, res.body);
    const key = res.json().key;
    assert.equal((await t.app.inject({ url: '/users/me', headers: as(key) })).statusCode, 200);
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal((await t.app.inject({ url: '/users/me', headers: as(key) })).statusCode, 401);
  });

  it('refuses an expiry in the past and both expiry fields at once, naming them', async () => {
    const past = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(t.adminKey),
      payload: { name: 'x', expiresAt: '2001-01-01T00:00:00Z' },
    });
    assert.equal(past.statusCode, 400);
    assert.deepEqual(
      past.json().errors.map((e: { field: string }) => e.field),
      ['expiresAt'],
    );
    const both = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(t.adminKey),
      payload: { name: 'x', expiresAt: '2100-01-01T00:00:00Z', expiresInDays: 3 },
    });
    assert.equal(both.statusCode, 400);
    assert.deepEqual(
      both.json().errors.map((e: { field: string }) => e.field),
      ['expiresAt', 'expiresInDays'],
    );
  });

  it("keeps users out of each other's keys unless they are USER_ADMIN", async () => {
    const alice = await t.userWith([]);
    const bob = await t.userWith([]);
    const [bobKey] = await t.store.db
      .selectFrom('api_keys')
      .select('id')
      .where('user_id', '=', bob.id)
      .execute();
    const list = await t.app.inject({ url: `/apikeys?userId=${bob.id}`, headers: as(alice.key) });
    assert.equal(list.statusCode, 403);
    const create = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(alice.key),
      payload: { name: 'x', userId: bob.id },
    });
    assert.equal(create.statusCode, 403);
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/apikeys/${bobKey!.id}`,
      headers: as(alice.key),
    });
    assert.equal(revoke.statusCode, 404, 'another user’s key looks absent');
    assert.equal((await t.app.inject({ url: '/users/me', headers: as(bob.key) })).statusCode, 200);
    const admin = await t.userWith(['USER_ADMIN']);
    const forBob = await t.app.inject({
      method: 'POST',
      url: '/apikeys',
      headers: as(admin.key),
      payload: { name: 'issued', userId: bob.id },
    });
    assert.equal(forBob.statusCode, 201);
    assert.equal(forBob.json().userId, bob.id);
    const adminRevoke = await t.app.inject({
      method: 'DELETE',
      url: `/apikeys/${bobKey!.id}`,
      headers: as(admin.key),
    });
    assert.equal(adminRevoke.statusCode, 200);
    assert.ok(adminRevoke.json().revokedAt);
    assert.equal((await t.app.inject({ url: '/users/me', headers: as(bob.key) })).statusCode, 401);
  });

  it('applies a permission change on the next request', async () => {
    const user = await t.userWith([]);
    assert.equal((await t.app.inject({ url: '/audit', headers: as(user.key) })).statusCode, 403);
    const grant = await t.app.inject({
      method: 'PUT',
      url: `/users/${user.id}/permissions`,
      headers: as(t.adminKey),
      payload: { permissions: ['AUDIT', 'AUDIT'] },
    });
    assert.deepEqual(grant.json().permissions, ['AUDIT']);
    assert.equal((await t.app.inject({ url: '/audit', headers: as(user.key) })).statusCode, 200);
  });
});
