import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { recordAudit } from '../../src/audit/record.ts';
import { runAsRole } from '../../src/demo/query.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actor.ts';
import { enqueueJobs } from '../../src/jobs/queue.ts';
import { discoveryRunHappyCalls, sddHappyCalls } from '../discovery/sdd-happy-calls.ts';
import { peopleHappyCalls } from '../people/happy-calls.ts';
import { policyHappyCalls } from '../policy/happy-calls.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk } from '../support/jobs.ts';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';

type Inject = InjectOptions;

describe('audit: every change writes an event in the same transaction', () => {
  let t: TestApp;
  let wh: TestWarehouse;
  before(async () => {
    wh = await createEmbeddedWarehouse();
    await wh.exec('CREATE SCHEMA s; CREATE TABLE s.t (id int);');
    await wh.exec('CREATE ROLE admin');
    t = await createTestApp({
      platforms: platformsFor(wh),
      demoQuery: (role, text) => runAsRole(wh.pglite!, role, text),
    });
  });
  after(async () => {
    await t.close();
    await wh.drop();
  });

  const eventsOf = (requestId: string) =>
    t.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('seq')
      .execute();

  /** One successful call of every mutating route; the test below fails if a route is missing here. */
  async function happyCalls(): Promise<Record<string, Inject>> {
    const target = await t.userWith([]);
    const [key] = await t.store.db
      .selectFrom('api_keys')
      .select('id')
      .where('user_id', '=', target.id)
      .execute();
    const { jobIds } = await enqueueJobs(t.store.db, [{ type: 'audit-probe' }], { createdBy: 1 });
    const auth = { authorization: t.adminKey };
    await wh.exec(
      'CREATE TABLE IF NOT EXISTS s.meta (id int, email text); CREATE TABLE IF NOT EXISTS s.requested (id int)',
    );
    const registered = await t.app.inject({
      method: 'POST',
      url: '/data/connection',
      headers: auth,
      payload: { connectionKey: 'audited-conn', connection: wh.connection },
    });
    await runBulk(t.deps, registered.json().bulkId);
    const schema = `audited-conn/${wh.database}/s`;
    const metadata = await metadataCalls(auth, `${schema}/meta`, target.id);
    const people = await peopleHappyCalls(t, auth, 'audited-conn');
    const policies = await policyHappyCalls(t, auth, `${schema}/requested`);
    const sdd = await sddHappyCalls(t, auth);
    const discovery = await discoveryRunHappyCalls(t, auth, 'audited-conn');
    return {
      ...metadata,
      ...people,
      ...policies,
      ...sdd,
      ...discovery,
      'POST /integrations/scripts/create': {
        method: 'POST',
        url: '/integrations/scripts/create',
        headers: auth,
        payload: { type: 'PostgreSQL', autoBootstrap: false, config: { host: 'h', database: 'd' } },
      },
      'POST /data/connection': {
        method: 'POST',
        url: '/data/connection',
        headers: auth,
        payload: { connectionKey: 'audited-2', connection: wh.connection },
      },
      'PUT /data/connection/:connectionKey': {
        method: 'PUT',
        url: '/data/connection/audited-conn',
        headers: auth,
        payload: { options: { forceRecursiveCrawl: true } },
      },
      'POST /data/crawl/*': { method: 'POST', url: `/data/crawl/${schema}`, headers: auth },
      'PUT /data/settings/*': {
        method: 'PUT',
        url: `/data/settings/${schema}/t`,
        headers: auth,
        payload: { settings: { isActive: false } },
      },
      'DELETE /data/object/*': { method: 'DELETE', url: `/data/object/${schema}/t`, headers: auth },
      'POST /users': {
        method: 'POST',
        url: '/users',
        headers: auth,
        payload: { username: 'audited', permissions: ['AUDIT'] },
      },
      'PUT /users/:id/permissions': {
        method: 'PUT',
        url: `/users/${target.id}/permissions`,
        headers: auth,
        payload: { permissions: ['GOVERNANCE'] },
      },
      'POST /apikeys': {
        method: 'POST',
        url: '/apikeys',
        headers: auth,
        payload: { name: 'ci', expiresInDays: 30 },
      },
      'DELETE /apikeys/:id': { method: 'DELETE', url: `/apikeys/${key!.id}`, headers: auth },
      'POST /jobs/cancel': { method: 'POST', url: '/jobs/cancel', headers: auth, payload: { jobIds } },
    };
  }

  /** Happy calls of the tag, data source, dictionary and domain routes, with what they act on set up. */
  async function metadataCalls(
    auth: { authorization: string },
    tablePath: string,
    userId: number,
  ): Promise<Record<string, Inject>> {
    const call = async (options: Inject) => {
      const res = await t.app.inject({ ...options, headers: auth });
      assert.ok(res.statusCode < 300, res.body);
      return res.json();
    };
    const id: string = (await call({ method: 'GET', url: `/data/object/${tablePath}` })).dataSourceId;
    const names = ['Audit.Applied', 'Audit.Removed', 'Audit.Deleted'];
    await call({ method: 'POST', url: '/tag', payload: { tags: names.map((name) => ({ name })) } });
    await call({ method: 'POST', url: `/tag/datasource/${id}`, payload: ['Audit.Removed'] });
    await call({
      method: 'POST',
      url: `/dataSource/${id}/access`,
      payload: { profileId: userId, state: 'expert' },
    });
    const domain: number = (await call({ method: 'POST', url: '/domain', payload: { name: 'Audited' } })).id;
    const doomed: number = (await call({ method: 'POST', url: '/domain', payload: { name: 'Doomed' } })).id;
    return {
      'POST /tag': { method: 'POST', url: '/tag', headers: auth, payload: { name: 'Audit.Created' } },
      'DELETE /tag/:tag': { method: 'DELETE', url: '/tag/Audit.Deleted', headers: auth },
      'POST /tag/:modelType/:modelId': {
        method: 'POST',
        url: `/tag/column/${id}_email`,
        headers: auth,
        payload: [{ name: 'Audit.Applied' }],
      },
      'DELETE /tag/:modelType/:modelId/:tag': {
        method: 'DELETE',
        url: `/tag/datasource/${id}/Audit.Removed`,
        headers: auth,
      },
      'POST /dataSource/:id/access': {
        method: 'POST',
        url: `/dataSource/${id}/access`,
        headers: auth,
        payload: { profileId: 1, state: 'owner' },
      },
      'DELETE /dataSource/:id/access/:profileId': {
        method: 'DELETE',
        url: `/dataSource/${id}/access/${userId}`,
        headers: auth,
      },
      'PUT /dictionary/:dataSourceId': {
        method: 'PUT',
        url: `/dictionary/${id}`,
        headers: auth,
        payload: { metadata: [{ name: 'email', description: 'Contact address' }] },
      },
      'POST /domain': { method: 'POST', url: '/domain', headers: auth, payload: { name: 'Created' } },
      'PUT /domain/:id': {
        method: 'PUT',
        url: `/domain/${domain}`,
        headers: auth,
        payload: { description: 'Audited things' },
      },
      'DELETE /domain/:id': { method: 'DELETE', url: `/domain/${doomed}`, headers: auth },
      'PUT /domain/:id/dataSources': {
        method: 'PUT',
        url: `/domain/${domain}/dataSources`,
        headers: auth,
        payload: { add: [id] },
      },
      'PUT /domain/:id/permissions': {
        method: 'PUT',
        url: `/domain/${domain}/permissions`,
        headers: auth,
        payload: { users: [{ userId, permissions: ['Audit Activity'] }] },
      },
      'POST /policy/enforce': {
        method: 'POST',
        url: '/policy/enforce',
        headers: auth,
        payload: { connectionKeys: ['audited-conn'] },
      },
      'POST /query': {
        method: 'POST',
        url: '/query',
        headers: auth,
        payload: { as: 'admin', sql: 'SELECT 1 AS one' },
      },
    };
  }

  it('records a success event for every mutating route, tied to its request id', async () => {
    const calls = await happyCalls();
    const mutating = t.app.routeTable.filter((r) => r.audit !== null);
    assert.deepEqual(
      mutating.map((r) => `${r.method} ${r.url}`).sort(),
      Object.keys(calls).sort(),
      'every audited route has a happy call in this test',
    );
    for (const route of mutating) {
      const res = await t.app.inject(calls[`${route.method} ${route.url}`]!);
      assert.ok(res.statusCode < 300, `${route.method} ${route.url}: ${res.body}`);
      const events = await eventsOf(String(res.headers['x-request-id']));
      assert.equal(events.length, 1, `${route.method} ${route.url} wrote one event`);
      const [event] = events;
      assert.equal(event!.action, route.audit);
      assert.equal(event!.action_status, 'success');
      assert.equal(event!.actor_id, 1);
      assert.deepEqual(event!.actor, { type: 'USER_ACTOR', id: 1, name: 'admin' });
      assert.ok(event!.targets.length >= 1);
      assert.equal(event!.actor_ip, '127.0.0.1');
    }
  });

  it('records a failure event, and no success event, for a rejected change', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/users',
      headers: { authorization: t.adminKey },
      payload: { username: 'dup' },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/users',
      headers: { authorization: t.adminKey },
      payload: { username: 'dup' },
    });
    assert.equal(res.statusCode, 409);
    const events = await eventsOf(res.json().requestId);
    assert.deepEqual(
      events.map((e) => [e.action, e.action_status, e.payload]),
      [['UserCreated', 'failure', { code: 'USER_TAKEN', status: 409, route: '/users' }]],
    );
  });

  it('fails closed with 503 and changes nothing when the audit write fails', async () => {
    await sql`ALTER TABLE audit_events ADD CONSTRAINT audit_probe_refuse CHECK (action <> 'UserCreated') NOT VALID`.execute(
      t.store.db,
    );
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/users',
        headers: { authorization: t.adminKey },
        payload: { username: 'never-created' },
      });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().code, 'AUDIT_UNAVAILABLE');
      const user = await t.store.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'never-created')
        .executeTakeFirst();
      assert.equal(user, undefined, 'the change rolled back with the audit write');
      assert.equal((await eventsOf(res.json().requestId)).length, 0);
      const read = await t.app.inject({ url: '/users/me', headers: { authorization: t.adminKey } });
      assert.equal(read.statusCode, 200, 'reads keep working');
    } finally {
      await sql`ALTER TABLE audit_events DROP CONSTRAINT audit_probe_refuse`.execute(t.store.db);
    }
  });

  it('leaves no event behind for a transaction that rolls back after auditing', async () => {
    await assert.rejects(
      t.store.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { actor: SYSTEM_ACTOR, requestId: 'rolled-back' }, { action: 'Probe' });
        throw new Error('later step failed');
      }),
    );
    assert.equal((await eventsOf('rolled-back')).length, 0);
  });

  it('redacts secret-named payload fields as a last line of defence', async () => {
    await recordAudit(
      t.store.db,
      { actor: SYSTEM_ACTOR, requestId: 'redaction' },
      {
        action: 'Probe',
        payload: {
          connection: { hostname: 'h', password: 'hunter2', oAuthClientConfig: { clientSecret: 's3cr3t' } },
          token: 'dapi123',
        },
      },
    );
    const [event] = await eventsOf('redaction');
    assert.deepEqual(event!.payload, {
      connection: {
        hostname: 'h',
        password: '[REDACTED]',
        oAuthClientConfig: { clientSecret: '[REDACTED]' },
      },
      token: '[REDACTED]',
    });
  });

  describe('GET /audit', () => {
    let auditor: { id: number; key: string };
    before(async () => {
      auditor = await t.userWith(['AUDIT'], 'auditor');
      await t.app.inject({
        method: 'POST',
        url: '/apikeys',
        headers: { authorization: auditor.key },
        payload: { name: 'own' },
      });
    });
    const search = async (query: string) => {
      const res = await t.app.inject({ url: `/audit?${query}`, headers: { authorization: auditor.key } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        events: Array<{
          action: string;
          actor: { name: string };
          targets: unknown[];
          eventTimestamp: string;
        }>;
        next: number | null;
      };
    };

    it('filters by actor name and id, action and status', async () => {
      const byName = await search('actor=auditor');
      assert.deepEqual(
        byName.events.map((e) => e.action),
        ['ApiKeyCreated'],
      );
      const byId = await search(`actor=${auditor.id}`);
      assert.deepEqual(
        byId.events.map((e) => e.action),
        ['ApiKeyCreated'],
      );
      const denied = await search('actionStatus=denied');
      assert.ok(
        denied.events.every((e) => e.action === 'AuthenticationFailed' || e.action === 'AuthorizationDenied'),
      );
      const several = await search('action=UserCreated,PermissionsUpdated');
      assert.ok(several.events.length >= 2);
      assert.ok(several.events.every((e) => ['UserCreated', 'PermissionsUpdated'].includes(e.action)));
    });

    it('filters by target, typed or bare', async () => {
      const typed = await search(`target=user:${auditor.id}`);
      assert.ok(typed.events.length >= 1);
      const bare = await search(`target=${auditor.id}&action=ApiKeyCreated`);
      assert.ok(bare.events.length >= 1);
    });

    it('filters by time range and pages newest first', async () => {
      const future = await search(`startDate=${new Date(Date.now() + 60_000).toISOString()}`);
      assert.equal(future.events.length, 0);
      const past = await search(`endDate=2000-01-01T00:00:00Z`);
      assert.equal(past.events.length, 0);
      const first = await search('size=2');
      assert.equal(first.events.length, 2);
      assert.equal(first.next, 2);
      assert.ok(first.events[0]!.eventTimestamp >= first.events[1]!.eventTimestamp);
      const second = await search('size=2&offset=2');
      assert.notDeepEqual(second.events[0], first.events[0]);
      const all = await search('size=1000');
      assert.equal(all.next, null);
    });
  });
});
