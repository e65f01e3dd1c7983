import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generateApiKey } from '../../src/auth/api-key.ts';
import { PERMISSIONS } from '../../src/domain/permission.ts';
import { issueApiKey } from '../../src/server/services/api-keys.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { protectedRoutes, samplePath } from '../support/routes.ts';

describe('authentication and permissions on every route', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  async function deniedEvents(requestId: string) {
    return t.store.db.selectFrom('audit_events').selectAll().where('request_id', '=', requestId).execute();
  }

  it('declares auth on every route and protects all but health, readiness and the docs', () => {
    const publicUrls = t.app.routeTable.filter((r) => r.auth === 'public').map((r) => r.url);
    assert.deepEqual(new Set(publicUrls), new Set(['/health', '/ready', '/openapi.json']));
    assert.ok(protectedRoutes(t.app.routeTable).length >= 10);
  });

  it('answers 401 with WWW-Authenticate and audits a denial when no key is sent', async () => {
    for (const route of protectedRoutes(t.app.routeTable)) {
      const res = await t.app.inject({ method: route.method as 'GET', url: samplePath(route) });
      assert.equal(res.statusCode, 401, `${route.method} ${route.url}`);
      const errorType = route.url.startsWith('/scim/') ? 'application/scim+json' : 'application/problem+json';
      assert.equal(res.headers['content-type'], `${errorType}; charset=utf-8`);
      assert.match(String(res.headers['www-authenticate']), /^Bearer /);
      assert.equal(res.json().code, 'AUTH_REQUIRED');
      const events = await deniedEvents(res.json().requestId);
      assert.equal(events.length, 1, `${route.method} ${route.url} audited once`);
      assert.equal(events[0]!.action, 'AuthenticationFailed');
      assert.equal(events[0]!.action_status, 'denied');
      assert.deepEqual(events[0]!.targets, [{ type: 'route', id: `${route.method} ${route.url}` }]);
    }
  });

  it('answers 401 for unknown, malformed, revoked and expired keys and for disabled users', async () => {
    const revoked = await t.userWith([...PERMISSIONS]);
    await t.store.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', revoked.id)
      .execute();
    const expiredUser = await t.userWith([...PERMISSIONS]);
    const expired = await issueApiKey(t.store.db, expiredUser.id, 'old', new Date(Date.now() - 1000));
    const disabled = await t.userWith([...PERMISSIONS]);
    await t.store.db.updateTable('users').set({ state: 'disabled' }).where('id', '=', disabled.id).execute();
    const bad = {
      unknown: generateApiKey(),
      malformed: 'stw_not-a-real-key',
      badChecksum: t.adminKey.slice(0, -1) + (t.adminKey.endsWith('A') ? 'B' : 'A'),
      revoked: revoked.key,
      expired: expired.key,
      user_disabled: disabled.key,
    };
    const reasons = {
      unknown: 'unknown',
      malformed: 'malformed',
      badChecksum: 'malformed',
      revoked: 'revoked',
      expired: 'expired',
      user_disabled: 'user_disabled',
    };
    for (const route of protectedRoutes(t.app.routeTable)) {
      for (const [name, key] of Object.entries(bad)) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: samplePath(route),
          headers: { authorization: `Bearer ${key}` },
        });
        assert.equal(res.statusCode, 401, `${name} key on ${route.method} ${route.url}`);
        assert.equal(res.json().code, 'AUTH_INVALID_KEY');
        assert.ok(!res.body.includes(key), 'the key is not echoed');
        const [event] = await deniedEvents(res.json().requestId);
        assert.equal(event?.action, 'AuthenticationFailed');
        assert.deepEqual(event?.payload, { reason: reasons[name as keyof typeof reasons] });
      }
    }
  });

  it('answers 403 and audits it when the key lacks the permission a route declares', async () => {
    let checked = 0;
    for (const route of protectedRoutes(t.app.routeTable)) {
      if (typeof route.auth === 'string') continue;
      const required = route.auth.anyOf;
      const user = await t.userWith(PERMISSIONS.filter((p) => !required.includes(p)));
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: samplePath(route),
        headers: { authorization: user.key },
      });
      assert.equal(res.statusCode, 403, `${route.method} ${route.url}`);
      assert.equal(res.json().code, 'AUTH_FORBIDDEN');
      assert.deepEqual(res.json().requiredPermissions, required);
      const [event] = await deniedEvents(res.json().requestId);
      assert.equal(event?.action, 'AuthorizationDenied');
      assert.equal(event?.action_status, 'denied');
      assert.equal(event?.actor_id, user.id);
      checked++;
    }
    assert.ok(checked >= 4, 'routes with permissions were checked');
  });

  it('lets a key with exactly the declared permission through, bare or as a Bearer token', async () => {
    for (const route of protectedRoutes(t.app.routeTable)) {
      const permissions = typeof route.auth === 'string' ? [] : [route.auth.anyOf[0]!];
      const user = await t.userWith(permissions);
      for (const authorization of [user.key, `Bearer ${user.key}`, `bearer   ${user.key}`]) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: samplePath(route),
          headers: { authorization },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        assert.ok(
          ![401, 403].includes(res.statusCode),
          `${route.method} ${route.url} gave ${res.statusCode}: ${res.body}`,
        );
      }
    }
  });

  it('refuses a revoked key on the very next request', async () => {
    const user = await t.userWith([]);
    const ok = await t.app.inject({ url: '/users/me', headers: { authorization: user.key } });
    assert.equal(ok.statusCode, 200);
    const [key] = await t.store.db
      .selectFrom('api_keys')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/apikeys/${key!.id}`,
      headers: { authorization: user.key },
    });
    assert.equal(revoke.statusCode, 200);
    const after = await t.app.inject({ url: '/users/me', headers: { authorization: user.key } });
    assert.equal(after.statusCode, 401);
  });

  it('records when a key was last used', async () => {
    const user = await t.userWith([]);
    await t.app.inject({ url: '/users/me', headers: { authorization: user.key } });
    const row = await t.store.db
      .selectFrom('api_keys')
      .select(sql<boolean>`last_used_at > now() - interval '1 minute'`.as('recent'))
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.recent, true);
  });
});
