import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from '../datasources/fixture.ts';

interface PolicyView {
  id: number;
  policyKey: string;
  name: string;
  scope: string;
  dataSourceId: string | null;
  staged: boolean;
  status: string;
  version: number;
  document: Record<string, unknown>;
}

interface Upsert {
  dryRun: boolean;
  action: string;
  policy: PolicyView;
  changes: { path: string; before?: unknown; after?: unknown }[];
  affectedDataSources: { dataSourceId: string; name: string }[];
}

const MASK_EMAIL_YAML = `
policyKey: mask email
name: Mask email
type: data
actions:
- rules:
  - type: Masking
    exceptions: {groups: [Privacy]}
    config:
      fields: [{type: columnTags, columnTag: PII.Email}]
      maskingConfig: {type: Hash}
circumstances: [{type: columnTags, columnTag: PII}]
`;

const maskEmail = (maskingType: string, extra: Record<string, unknown> = {}) => ({
  policyKey: 'mask email',
  name: 'Mask email',
  type: 'data',
  actions: [
    {
      rules: [
        {
          type: 'Masking',
          exceptions: { groups: ['Privacy'] },
          config: {
            fields: [{ type: 'columnTags', columnTag: 'PII.Email' }],
            maskingConfig: { type: maskingType },
          },
        },
      ],
    },
  ],
  circumstances: [{ type: 'columnTags', columnTag: 'PII' }],
  ...extra,
});

describe('policies API: V2 upsert, versions, local policies and permissions', () => {
  let f: MetadataFixture;
  let customers = '';
  let orders = '';
  let employees = '';

  /** Counts the rows that a policy change writes, to prove a request wrote none. */
  const footprint = async () => {
    const db = f.t.store.db;
    const count = async (table: 'policies' | 'policy_versions' | 'audit_events' | 'jobs') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      policies: await count('policies'),
      versions: await count('policy_versions'),
      audit: await count('audit_events'),
      jobs: await count('jobs'),
    };
  };

  const upsert = (body: unknown, query = '', key?: string) =>
    f.call(
      {
        method: 'POST',
        url: `/api/v2/policy${query}`,
        ...(typeof body === 'string'
          ? { payload: body, headers: { 'content-type': 'application/yaml' } }
          : { payload: body as Record<string, unknown> }),
      },
      key,
    );

  const expectProblem = (res: LightMyRequestResponse, status: number, code: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().code, code);
  };

  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    customers = await f.dataSourceId('wh', 'sales', 'customers');
    orders = await f.dataSourceId('wh', 'sales', 'orders');
    employees = await f.dataSourceId('wh', 'hr', 'employees');
    await f.ok({
      method: 'POST',
      url: '/tag',
      payload: { tags: ['PII.Email', 'Region', 'Policy.Only', 'Unused'].map((name) => ({ name })) },
    });
    await f.ok({ method: 'POST', url: `/tag/column/${customers}_email`, payload: ['PII.Email'] });
  });
  after(async () => {
    await f.close();
  });

  it('creates a policy from YAML, answers unchanged for the same document, and versions a change', async () => {
    const created = await upsert(MASK_EMAIL_YAML);
    assert.equal(created.statusCode, 200, created.body);
    const first = created.json() as Upsert;
    assert.equal(first.action, 'created');
    assert.equal(first.dryRun, false);
    assert.equal(first.policy.version, 1);
    assert.equal(first.policy.scope, 'global');
    assert.deepEqual(first.affectedDataSources, [
      { dataSourceId: customers, name: `${f.wh.database}.sales.customers` },
    ]);
    assert.ok(first.changes.some((c) => c.path === 'policyKey' && c.after === 'mask email'));
    assert.deepEqual(
      (await auditOf(f.t, created)).map((e) => [e.action, e.payload['change']]),
      [['PolicySaved', 'created']],
    );
    const waiting = await f.t.store.db
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'policy.enforce')
      .where('state', 'in', ['created', 'retry'])
      .execute();
    assert.ok(
      waiting.some((j) => j.payload['connectionKey'] === 'wh'),
      'enforcement of the connection was requested',
    );

    const before = await footprint();
    const same = await upsert(maskEmail('Hash'));
    assert.equal(same.statusCode, 200, same.body);
    assert.equal(same.json().action, 'unchanged');
    assert.equal(same.json().policy.version, 1);
    assert.deepEqual(same.json().changes, []);
    assert.deepEqual(await footprint(), before, 'an unchanged document writes nothing');

    const changed = await upsert(maskEmail('Null', { staged: true }));
    const second = changed.json() as Upsert;
    assert.equal(second.action, 'updated');
    assert.equal(second.policy.version, 2);
    assert.equal(second.policy.status, 'staged');
    assert.deepEqual(
      second.changes.map((c) => c.path),
      ['actions[0].rules[0].config.maskingConfig.type', 'staged'],
    );
    assert.deepEqual(
      second.affectedDataSources.map((d) => d.dataSourceId),
      [customers],
      'where it applied before',
    );

    const versions = await f.ok<{ count: number; hits: { version: number; change: string }[] }>({
      url: `/policy/${second.policy.id}/versions`,
    });
    assert.equal(versions.count, 2);
    assert.deepEqual(
      versions.hits.map((v) => [v.version, v.change]),
      [
        [2, 'updated'],
        [1, 'created'],
      ],
    );

    const read = await f.ok<PolicyView>({ url: `/api/v2/policy/${encodeURIComponent('mask email')}` });
    assert.equal(read.version, 2);
    assert.equal(
      (read.document['actions'] as { rules: { config: { maskingConfig: { type: string } } }[] }[])[0]!
        .rules[0]!.config.maskingConfig.type,
      'Null',
    );
    await f.ok({ method: 'POST', url: '/api/v2/policy', payload: maskEmail('Hash') });
  });

  it('answers a dry run as the real call would and writes nothing', async () => {
    const before = await footprint();
    const dry = await upsert(maskEmail('Hash', { policyKey: 'dry run only' }), '?dryRun=true&reCertify=true');
    assert.equal(dry.statusCode, 200, dry.body);
    const answer = dry.json() as Upsert;
    assert.equal(answer.dryRun, true);
    assert.equal(answer.action, 'created');
    assert.equal(answer.policy.id, 0);
    assert.equal(answer.policy.version, 1);
    assert.deepEqual(
      answer.affectedDataSources.map((d) => d.dataSourceId),
      [customers],
    );
    const update = await upsert(maskEmail('Nullify'), '?dryRun=true');
    assert.equal(update.json().action, 'updated');
    assert.equal(update.json().policy.version, 4, 'the next version after 3');
    assert.deepEqual(await footprint(), before, 'no policy, version, audit event or job was written');
    assert.equal(
      (await f.call({ url: `/api/v2/policy/${encodeURIComponent('dry run only')}` })).statusCode,
      404,
    );
  });

  it('refuses bad documents with problem+json naming each field, changing nothing', async () => {
    const before = await footprint();
    const unknown = await upsert({ ...maskEmail('Hash'), colour: 'red' });
    expectProblem(unknown, 400, 'POLICY_INVALID');
    assert.deepEqual(fieldsOf(unknown), ['colour']);
    assert.equal(unknown.json().errors[0].pointer, '#/colour');

    const fpe = await upsert(maskEmail('FPE'));
    expectProblem(fpe, 400, 'POLICY_INVALID');
    assert.deepEqual(fieldsOf(fpe), ['actions[0].rules[0].config.maskingConfig.type']);
    assert.match(fpe.json().detail, /not supported/);

    const noTag = await upsert({
      ...maskEmail('Hash'),
      circumstances: [{ type: 'tags', tag: 'Nope.Missing' }],
    });
    expectProblem(noTag, 400, 'POLICY_INVALID');
    assert.deepEqual(fieldsOf(noTag), ['circumstances[0].tag']);
    assert.match(noTag.json().errors[0].detail, /there is no tag "Nope.Missing"/);

    const where = await upsert({
      policyKey: 'bad where',
      type: 'data',
      actions: [
        {
          rules: [
            { type: 'Row Restriction by Custom Where Clause', config: { predicate: 'pg_sleep(10) IS NULL' } },
          ],
        },
      ],
    });
    expectProblem(where, 400, 'POLICY_WHERE_INVALID');
    assert.deepEqual(fieldsOf(where), ['actions[0].rules[0].config.predicate']);

    const yaml = await f.call({
      method: 'POST',
      url: '/api/v2/policy',
      payload: 'policyKey: [unclosed',
      headers: { 'content-type': 'application/yaml' },
    });
    expectProblem(yaml, 400, 'REQUEST_MALFORMED');
    const after = await footprint();
    assert.deepEqual({ ...after, audit: before.audit }, before, 'no policy, version or job was written');
  });

  it('lets GOVERNANCE and APPLICATION_ADMIN author global policies, and no one else', async () => {
    const nobody = await f.t.userWith(['USER_ADMIN', 'AUDIT']);
    const denied = await upsert(maskEmail('Hash', { policyKey: 'denied' }), '', nobody.key);
    expectProblem(denied, 403, 'AUTH_FORBIDDEN');
    assert.deepEqual(denied.json().requiredPermissions, ['GOVERNANCE', 'APPLICATION_ADMIN']);
    const admin = await f.t.userWith(['APPLICATION_ADMIN']);
    const ok = await upsert(
      {
        policyKey: 'anyone reads orders',
        type: 'subscription',
        actions: { type: 'anyone' },
        circumstances: [{ type: 'connection', connectionKey: 'wh' }],
      },
      '',
      admin.key,
    );
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().affectedDataSources.length, 3);
    const remove = await f.call(
      { method: 'DELETE', url: `/api/v2/policy/${encodeURIComponent('anyone reads orders')}` },
      nobody.key,
    );
    expectProblem(remove, 403, 'AUTH_FORBIDDEN');
    const removed = await f.call(
      { method: 'DELETE', url: `/api/v2/policy/${encodeURIComponent('anyone reads orders')}` },
      admin.key,
    );
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal(removed.json().policy.version, 2);
  });

  it('stores local policies for owners, checking columns and lookup tables against the data source', async () => {
    const owner = await f.t.userWith([], 'orders-owner');
    await f.ok({
      method: 'POST',
      url: `/dataSource/${orders}/access`,
      payload: { profileId: owner.id, state: 'owner' },
    });
    const stranger = await f.t.userWith([]);
    const local = (predicate: string, key = 'orders rows') => ({
      policyKey: key,
      type: 'data',
      actions: [{ rules: [{ type: 'Row Restriction by Custom Where Clause', config: { predicate } }] }],
    });
    const url = `/policy/handler/${orders}`;

    const refused = await f.call(
      { method: 'POST', url, payload: local("@columnReference('amount') > 0") },
      stranger.key,
    );
    expectProblem(refused, 403, 'AUTH_FORBIDDEN');
    const denial = await auditOf(f.t, refused);
    assert.deepEqual(
      denial.map((e) => [e.action, e.action_status]),
      [['AuthorizationDenied', 'denied']],
    );

    const missingColumn = await f.call(
      { method: 'POST', url, payload: local("@columnReference('nope') > 0") },
      owner.key,
    );
    expectProblem(missingColumn, 400, 'POLICY_INVALID');
    assert.deepEqual(fieldsOf(missingColumn), ['actions[0].rules[0].config.predicate']);
    assert.match(missingColumn.json().errors[0].detail, /column nope does not exist/);

    const missingField = await f.call(
      {
        method: 'POST',
        url,
        payload: {
          policyKey: 'orders mask',
          type: 'data',
          actions: [
            {
              rules: [
                {
                  type: 'Masking',
                  config: {
                    fields: [{ type: 'columnName', columnName: 'email' }],
                    maskingConfig: { type: 'Hash' },
                  },
                },
              ],
            },
          ],
        },
      },
      owner.key,
    );
    expectProblem(missingField, 400, 'POLICY_INVALID');
    assert.deepEqual(fieldsOf(missingField), ['actions[0].rules[0].config.fields[0].columnName']);

    const missingLookup = await f.call(
      { method: 'POST', url, payload: local('customer_id IN (SELECT id FROM sales.nowhere)') },
      owner.key,
    );
    expectProblem(missingLookup, 400, 'POLICY_INVALID');
    assert.match(missingLookup.json().errors[0].detail, /lookup table sales\.nowhere/);

    const withCircumstances = await f.call(
      {
        method: 'POST',
        url,
        payload: { ...local('amount > 0'), circumstances: [{ type: 'tags', tag: 'Region' }] },
      },
      owner.key,
    );
    expectProblem(withCircumstances, 400, 'POLICY_INVALID');
    assert.deepEqual(fieldsOf(withCircumstances), ['circumstances']);

    const saved = await f.call(
      { method: 'POST', url, payload: local('customer_id IN (SELECT id FROM sales.customers)') },
      owner.key,
    );
    assert.equal(saved.statusCode, 200, saved.body);
    const policy = saved.json().policy as PolicyView;
    assert.equal(policy.scope, 'local');
    assert.equal(policy.dataSourceId, orders);
    assert.deepEqual(
      saved.json().affectedDataSources.map((d: { dataSourceId: string }) => d.dataSourceId),
      [orders],
    );

    const list = await f.ok<{ count: number; hits: PolicyView[] }>({ url });
    assert.deepEqual(
      list.hits.map((p) => p.policyKey),
      ['orders rows'],
    );
    const global = await upsert(local('amount > 0'));
    expectProblem(global, 409, 'POLICY_SCOPE_MISMATCH');
    const elsewhere = await f.call({
      method: 'POST',
      url: `/policy/handler/${customers}`,
      payload: local('id > 0'),
    });
    expectProblem(elsewhere, 409, 'POLICY_SCOPE_MISMATCH');
    const wrongSource = await f.call({ method: 'DELETE', url: `/policy/handler/${customers}/${policy.id}` });
    expectProblem(wrongSource, 404, 'POLICY_NOT_FOUND');
    const strangerDelete = await f.call({ method: 'DELETE', url: `${url}/${policy.id}` }, stranger.key);
    expectProblem(strangerDelete, 403, 'AUTH_FORBIDDEN');
    const deleted = await f.call({ method: 'DELETE', url: `${url}/${policy.id}` }, owner.key);
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal((await f.ok<{ count: number }>({ url })).count, 0);
  });

  it('serves the v1 global routes, search and what a policy applies to', async () => {
    const region = await f.ok<Upsert>({
      method: 'POST',
      url: '/api/v2/policy',
      payload: {
        policyKey: 'region rows',
        type: 'data',
        actions: [
          {
            rules: [
              {
                type: 'Row Restriction By User Entitlements',
                config: {
                  fields: [{ type: 'columnName', columnName: 'email' }],
                  matchBy: { type: 'groups' },
                },
              },
            ],
          },
        ],
        circumstances: [{ type: 'columnRegex', regex: '^salary$' }],
      },
    });
    assert.deepEqual(
      region.affectedDataSources.map((d) => d.dataSourceId),
      [employees],
    );
    const id = region.policy.id;
    const applied = await f.ok<{ count: number; hits: { dataSourceId: string }[] }>({
      url: `/policy/global/appliedTo/${id}`,
    });
    assert.deepEqual(
      applied.hits.map((h) => h.dataSourceId),
      [employees],
    );
    const one = await f.ok<PolicyView>({ url: `/policy/global/${id}` });
    assert.equal(one.policyKey, 'region rows');
    const all = await f.ok<{ count: number; hits: PolicyView[] }>({ url: '/policy/global?size=1' });
    assert.equal(all.hits.length, 1);
    assert.ok(all.count >= 2);
    const found = await f.ok<{ count: number; hits: PolicyView[] }>({
      method: 'POST',
      url: '/policy/search',
      payload: { searchText: 'REGION', type: 'data', state: 'active' },
    });
    assert.deepEqual(
      found.hits.map((h) => h.policyKey),
      ['region rows'],
    );
    const clone = await f.ok<{ count: number; hits: PolicyView[] }>({ url: '/api/v2/policy' });
    assert.equal(clone.count, clone.hits.length);
    assert.ok(clone.hits.every((p) => typeof p.document['policyKey'] === 'string'));
    const deleted = await f.call({ method: 'DELETE', url: `/policy/global/${id}` });
    assert.equal(deleted.statusCode, 200, deleted.body);
    expectProblem(await f.call({ url: `/policy/global/${id}` }), 404, 'POLICY_NOT_FOUND');
    const history = await f.ok<{ hits: { version: number; change: string }[] }>({
      url: `/policy/${id}/versions`,
    });
    assert.deepEqual(
      history.hits.map((h) => [h.version, h.change]),
      [
        [2, 'deleted'],
        [1, 'created'],
      ],
    );
  });

  it('shows a policy as pending while a data source enforces an older version of it', async () => {
    const policy = await f.ok<PolicyView>({ url: `/api/v2/policy/${encodeURIComponent('mask email')}` });
    assert.equal(policy.status, 'active');
    const plan = JSON.stringify({ policies: [{ id: policy.id }] });
    await f.t.store.db
      .insertInto('data_source_enforcement')
      .values({
        data_source_id: customers,
        connection_key: 'wh',
        salt: 's',
        desired_hash: 'h',
        applied_hash: 'h',
        desired_plan: plan,
        applied_plan: plan,
        policy_versions: JSON.stringify({ [policy.id]: policy.version - 1 }),
      })
      .execute();
    assert.equal((await f.ok<PolicyView>({ url: `/policy/global/${policy.id}` })).status, 'pending');
    await f.t.store.db
      .updateTable('data_source_enforcement')
      .set({ policy_versions: JSON.stringify({ [policy.id]: policy.version }) })
      .execute();
    assert.equal((await f.ok<PolicyView>({ url: `/policy/global/${policy.id}` })).status, 'active');
    await f.t.store.db.updateTable('data_source_enforcement').set({ desired_hash: 'next' }).execute();
    assert.equal((await f.ok<PolicyView>({ url: `/policy/global/${policy.id}` })).status, 'pending');
    await f.t.store.db.deleteFrom('data_source_enforcement').execute();
  });

  it('refuses to delete a tag a policy uses, until the policy is gone', async () => {
    const saved = await f.ok<Upsert>({
      method: 'POST',
      url: '/api/v2/policy',
      payload: {
        policyKey: 'uses a tag',
        type: 'data',
        actions: [
          {
            rules: [
              {
                type: 'Masking',
                config: {
                  fields: [{ type: 'anyTag' }],
                  conditionalPredicate: "@columnTagged('Policy.Only') IS NOT NULL",
                  maskingConfig: { type: 'Null' },
                },
              },
            ],
          },
        ],
      },
    });
    const refused = await f.call({ method: 'DELETE', url: '/tag/Policy' });
    expectProblem(refused, 409, 'TAG_IN_USE');
    assert.deepEqual(refused.json().usage, [{ kind: 'policy', count: 1 }]);
    assert.equal(
      (await f.call({ method: 'DELETE', url: '/tag/Unused' })).statusCode,
      200,
      'an unused tag goes',
    );
    await f.ok({ method: 'DELETE', url: `/api/v2/policy/${encodeURIComponent(saved.policy.policyKey)}` });
    assert.equal((await f.call({ method: 'DELETE', url: '/tag/Policy' })).statusCode, 200);
  });
});
