import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ENTITLEMENT_SYNC_JOB_TYPE } from '../../src/entitlements/request-sync.ts';
import { quoteIdent } from '../../src/platforms/postgres/quote.ts';
import { POLICY_ENFORCE_JOB_TYPE } from '../../src/policy/request-enforcement.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { queryAs } from '../support/as-role.ts';
import { runBulk, settleJobs } from '../support/jobs.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  platformsFor,
  type TestWarehouse,
} from '../support/warehouse.ts';

const ROWS = [
  [1, 'Ana', 'ana@example.com', 'EU', 50_000],
  [2, 'Bo', 'bo@example.org', 'US', 61_000],
  [3, 'Cy', 'cy@example.net', 'EU', 72_500],
  [4, 'Dee', 'dee@example.com', 'APAC', 80_000],
] as const;

const MASK_EMAIL = `
policyKey: mask email
name: Mask email except Privacy
type: data
circumstances: [{type: columnTags, columnTag: PII}]
actions:
- rules:
  - type: Masking
    exceptions: {operator: any, groups: [Privacy]}
    config:
      fields: [{type: columnTags, columnTag: PII.Email}]
      maskingConfig: {type: Constant, constant: REDACTED}
`;

const ROWS_BY_REGION = `
policyKey: rows by region
name: Rows of your regions
type: data
circumstances: [{type: columnTags, columnTag: Location}]
actions:
- rules:
  - type: Row Restriction By User Entitlements
    config:
      fields: [{type: columnTags, columnTag: Location.Region}]
      matchBy: {type: attribute, attribute: Region}
`;

for (const kind of ['embedded', 'server'] as const) {
  describe(`policies enforced in ${kind === 'server' ? 'a PostgreSQL server' : 'embedded PGlite'} through the API`, () => {
    let wh: TestWarehouse;
    let t: TestApp;
    let dataSourceId: string;
    const sfx = randomBytes(3).toString('hex');
    const owner = `e2e_owner_${sfx}`;
    const people = { analyst: `e2e_ana_${sfx}`, privacy: `e2e_pri_${sfx}`, outsider: `e2e_out_${sfx}` };
    const ids: Record<string, number> = {};
    const requester = `e2e_req_${sfx}`;
    let requesterKey = '';

    const call = async (
      method: string,
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res: LightMyRequestResponse = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: t.adminKey, ...headers },
        ...(payload === undefined
          ? {}
          : typeof payload === 'string'
            ? { payload }
            : { payload: payload as object }),
      });
      return res;
    };
    const ok = async (method: string, url: string, payload?: unknown, headers?: Record<string, string>) => {
      const res = await call(method, url, payload, headers);
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.body ? res.json() : undefined;
    };
    const yaml = { 'content-type': 'application/yaml' };
    /** Runs every job waiting now (entitlement pushes and enforcement), to completion. */
    const settle = () => settleJobs(t.deps, undefined, 5);
    const enforce = async () => {
      const { bulkId } = await ok('POST', '/policy/enforce', { connectionKeys: ['e2e'] });
      const jobs = await runBulk(t.deps, bulkId);
      assert.deepEqual(
        jobs.map((j) => [j.type, j.state]),
        [[POLICY_ENFORCE_JOB_TYPE, 'completed']],
      );
    };
    const view = `${quoteIdent('steward_shop')}.customers`;
    const rows = async (role: string, from = view) =>
      (await queryAs(wh, role, `SELECT id, email, region FROM ${from} ORDER BY id`)).map((r) => [
        Number(r.id),
        r.email,
        r.region,
      ]);

    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      const roles = [owner, requester, ...Object.values(people)];
      await wh.exec(
        [
          ...roles.map((r) => `CREATE ROLE ${quoteIdent(r)} LOGIN`),
          `GRANT ${quoteIdent(owner)} TO ${quoteIdent(wh.role)}`,
          `CREATE SCHEMA shop AUTHORIZATION ${quoteIdent(owner)}`,
          `SET ROLE ${quoteIdent(owner)}`,
          'CREATE TABLE shop.customers (id integer PRIMARY KEY, name text, email text, region text, salary integer)',
          `INSERT INTO shop.customers VALUES ${ROWS.map((r) => `(${r[0]}, '${r[1]}', '${r[2]}', '${r[3]}', ${r[4]})`).join(', ')}`,
          `GRANT USAGE ON SCHEMA shop TO ${[requester, ...Object.values(people)].map(quoteIdent).join(', ')}`,
          `GRANT SELECT ON shop.customers TO ${[requester, ...Object.values(people)].map(quoteIdent).join(', ')}`,
          'RESET ROLE',
        ].join(';\n'),
      );
      t = await createTestApp({ platforms: platformsFor(wh) });
      const registered = await ok('POST', '/data/connection', {
        connectionKey: 'e2e',
        connection: wh.connection,
        settings: { isActive: true },
      });
      await runBulk(t.deps, registered.bulkId);
      const found = await ok('GET', '/dataSource?searchText=customers');
      dataSourceId = found.dataSources[0].id;
      await ok('POST', '/tag', { tags: [{ name: 'PII.Email' }, { name: 'Location.Region' }] });
      await ok('POST', `/tag/column/${dataSourceId}_email`, ['PII.Email']);
      await ok('POST', `/tag/column/${dataSourceId}_region`, ['Location.Region']);
      for (const [key, username] of Object.entries(people)) {
        ids[key] = (await ok('POST', '/users', { username })).id;
      }
      const req = await t.userWith([], requester);
      ids.requester = req.id;
      requesterKey = req.key;
      await ok('PUT', `/users/${ids.requester}/attributes`, { attributes: { Region: ['EU'] } });
      await ok('PUT', `/users/${ids.analyst}/attributes`, { attributes: { Region: ['EU'] } });
      await ok('PUT', `/users/${ids.privacy}/attributes`, { attributes: { Region: ['EU', 'US', 'APAC'] } });
      const group = await ok('POST', '/groups', { name: 'Privacy' });
      await ok('POST', `/groups/${group.id}/members`, { userIds: [ids.privacy] });
      await ok('POST', '/api/v2/policy', MASK_EMAIL, yaml);
      await ok('POST', '/api/v2/policy', ROWS_BY_REGION, yaml);
      await settle();
    });

    after(async () => {
      await t?.close();
      if (kind === 'server') {
        await wh.exec('DROP SCHEMA IF EXISTS shop CASCADE; DROP SCHEMA IF EXISTS steward_shop CASCADE');
        for (const r of [...Object.values(people), requester, owner]) {
          await wh
            .exec(`DROP OWNED BY ${quoteIdent(r)}; DROP ROLE IF EXISTS ${quoteIdent(r)}`)
            .catch(() => {});
        }
      }
      await wh?.drop();
    });

    it('masks and filters for each person as the policies say, and leaves unmanaged roles alone', async () => {
      assert.deepEqual(await rows(people.analyst), [
        [1, 'REDACTED', 'EU'],
        [3, 'REDACTED', 'EU'],
      ]);
      assert.deepEqual(
        await rows(people.privacy),
        ROWS.map((r) => [r[0], r[2], r[3]]),
      );
      assert.deepEqual(await rows(people.outsider), [], 'a person with no Region value sees no row');
      assert.deepEqual(
        await rows(people.analyst, 'shop.customers'),
        [],
        'the base table hides rows with masked cells',
      );
      assert.deepEqual(
        await rows(people.privacy, 'shop.customers'),
        ROWS.map((r) => [r[0], r[2], r[3]]),
      );
      assert.deepEqual(
        await rows(owner, 'shop.customers'),
        ROWS.map((r) => [r[0], r[2], r[3]]),
        'the owner is unmanaged',
      );
    });

    it('explains what a person gets and why, and reports the policies active and the data source not pending', async () => {
      const info = await ok('GET', `/dataSource/${dataSourceId}/users/${ids.analyst}/policyInfo`);
      assert.equal(info.subscribed.value, true);
      assert.deepEqual(
        info.masks.map((m: { column: string; applies: boolean; winner: { policyKey: string } }) => [
          m.column,
          m.applies,
          m.winner.policyKey,
        ]),
        [['email', true, 'mask email']],
      );
      assert.deepEqual(
        info.rowFilters.map((f: { applies: boolean }) => f.applies),
        [true],
      );
      const privacy = await ok('GET', `/dataSource/${dataSourceId}/users/${ids.privacy}/policyInfo`);
      assert.equal(privacy.masks[0].applies, false);
      const diff = await ok('GET', `/policy/diff/${dataSourceId}`);
      assert.equal(diff.pending, false);
      assert.deepEqual(diff.after.policies, ['mask email', 'rows by region']);
      const listed = await ok('GET', '/policy/global');
      assert.deepEqual(
        listed.hits.map((p: { status: string }) => p.status),
        ['active', 'active'],
      );
    });

    it('shows a changed policy as pending with its before and after until it is enforced', async () => {
      const changed = MASK_EMAIL.replace('{type: Constant, constant: REDACTED}', '{type: "Null"}');
      await ok('POST', '/api/v2/policy', changed, yaml);
      const diff = await ok('GET', `/policy/diff/${dataSourceId}`);
      assert.equal(diff.pending, true);
      assert.deepEqual(diff.before.masks[0].mask, { type: 'constant', value: 'REDACTED' });
      assert.deepEqual(diff.after.masks[0].mask, { type: 'null' });
      const listed = await ok('GET', '/policy/global');
      assert.ok(
        listed.hits.some(
          (p: { policyKey: string; status: string }) =>
            p.policyKey === 'mask email' && p.status === 'pending',
        ),
      );
      await settle();
      assert.equal((await ok('GET', `/policy/diff/${dataSourceId}`)).pending, false);
      assert.deepEqual(await rows(people.analyst), [
        [1, null, 'EU'],
        [3, null, 'EU'],
      ]);
    });

    it('applies an attribute change on the next query without any DDL', async () => {
      const before = await t.deps.store.db
        .selectFrom('jobs')
        .select('id')
        .where('type', '=', POLICY_ENFORCE_JOB_TYPE)
        .execute();
      await ok('POST', `/users/${ids.analyst}/attributes`, { attributes: { Region: ['US'] } });
      await settle();
      const after = await t.deps.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('type', '=', POLICY_ENFORCE_JOB_TYPE)
        .execute();
      assert.equal(after.length, before.length, 'no enforcement (DDL) ran');
      const pushes = await t.deps.store.db
        .selectFrom('jobs')
        .select('id')
        .where('type', '=', ENTITLEMENT_SYNC_JOB_TYPE)
        .execute();
      assert.ok(pushes.length > 0);
      assert.deepEqual(
        (await rows(people.analyst)).map((r) => r[0]),
        [1, 2, 3],
      );
    });

    it('repairs a dropped row level security policy on the next enforcement and audits the drift', async () => {
      await wh.exec('DROP POLICY steward_read ON shop.customers');
      assert.ok(
        (await rows(people.analyst, 'shop.customers')).length === 0,
        'with no permissive policy left, RLS still denies',
      );
      await wh.exec('ALTER TABLE shop.customers DISABLE ROW LEVEL SECURITY');
      assert.equal(
        (await rows(people.analyst, 'shop.customers')).length,
        4,
        'out-of-band change opened the table',
      );
      await enforce();
      assert.deepEqual(await rows(people.analyst, 'shop.customers'), []);
      const events = await t.deps.store.db
        .selectFrom('audit_events')
        .select(['action', 'payload'])
        .where('action', '=', 'policy.driftRepaired')
        .execute();
      assert.equal(events.length, 1);
      const reasons = JSON.stringify(events[0]!.payload);
      assert.match(reasons, /row level security/i);
    });

    it('repairs drift found after a catalog sync, and never crawls its own masking views', async () => {
      await wh.exec(
        'GRANT SELECT ON shop.customers TO PUBLIC; ALTER TABLE shop.customers NO FORCE ROW LEVEL SECURITY',
      );
      const crawl = await ok('POST', '/data/crawl/e2e');
      await runBulk(t.deps, crawl.bulkId);
      await settle();
      const sources = await ok('GET', '/dataSource');
      assert.deepEqual(
        sources.dataSources.map((d: { name?: string; id: string }) => d.id),
        [dataSourceId],
        'the mirror schema holding the masking views is not a data source',
      );
      const events = await t.deps.store.db
        .selectFrom('audit_events')
        .select('payload')
        .where('action', '=', 'policy.driftRepaired')
        .execute();
      const reasons = JSON.stringify(events.map((e) => e.payload));
      assert.match(reasons, /PUBLIC/);
      assert.match(reasons, /forc/i);
      const grants = await queryAs(
        wh,
        owner,
        "SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE table_schema = 'shop' AND grantee = 'PUBLIC'",
      );
      assert.equal(grants[0]!.n, 0, 'the PUBLIC grant made out of band was revoked');
    });

    it('ignores a staged policy until it is activated', async () => {
      const staged = MASK_EMAIL.replace('policyKey: mask email', 'policyKey: staged mask').replace(
        '{type: Constant, constant: REDACTED}',
        '{type: Constant, constant: STAGED}',
      );
      await ok('POST', '/api/v2/policy', `${staged}staged: true\n`, yaml);
      await settle();
      const info = await ok('GET', `/dataSource/${dataSourceId}/users/${ids.analyst}/policyInfo`);
      assert.deepEqual(info.masks[0].losers, []);
      assert.deepEqual(
        (await rows(people.analyst)).map((r) => r[1]),
        [null, null, null],
      );
    });

    it('lets a person ask for access under an approval policy, and subscribes them once a governor approves', async () => {
      const approval = `
policyKey: approval to read
name: Ask to read customers
type: subscription
circumstances: [{type: columnTags, columnTag: PII}]
actions:
  type: approval
  approvals: [{requiredPermission: GOVERNANCE, specificApproverRequired: false}]
`;
      await ok('POST', '/api/v2/policy', approval, yaml);
      await settle();
      assert.deepEqual(await rows(requester), [], 'not subscribed yet');
      const asked = await call(
        'POST',
        '/dataSource/subscribe',
        { dataSourceId },
        { authorization: requesterKey },
      );
      assert.equal(asked.statusCode, 201, asked.body);
      const decided = await call('POST', `/requests/${asked.json().id}/approve`, {});
      assert.equal(decided.statusCode, 200, decided.body);
      await settle();
      assert.deepEqual(await rows(requester), [
        [1, null, 'EU'],
        [3, null, 'EU'],
      ]);
      const info = await ok('GET', `/dataSource/${dataSourceId}/users/${ids.requester}/policyInfo`);
      assert.equal(info.subscribed.value, true);
      assert.deepEqual(
        info.subscribed.policies.map((p: { policyKey: string }) => p.policyKey),
        ['approval to read'],
      );
      assert.equal(
        (await ok('GET', `/dataSource/${dataSourceId}/users/${ids.analyst}/policyInfo`)).subscribed.value,
        false,
      );
      assert.deepEqual(await rows(people.analyst), [], 'who has not asked sees nothing');
    });
  });
}
