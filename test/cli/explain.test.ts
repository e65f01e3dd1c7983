import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type StubApi, startStubApi } from './policy-stub.ts';

const MASK_PII = { policyKey: 'mask-pii', name: 'Mask PII' };

const POLICY_INFO = {
  dataSource: { id: '42', name: 'sales.customers' },
  user: { id: 7, username: 'alice', principal: 'alice_pg' },
  subscribed: {
    value: true,
    reason: 'alice is in group Analysts',
    policies: [{ policyKey: 'analysts-read', name: 'Analysts may read', role: 'grant' }],
  },
  masks: [
    {
      column: 'email',
      mask: { type: 'hash' },
      applies: true,
      reason: 'alice lacks the attribute Clearance=PII',
      winner: MASK_PII,
      losers: [
        {
          policy: { policyKey: 'null-contacts', name: 'Null contacts' },
          reason: 'a hash keeps equal values equal, so it wins over null',
        },
      ],
    },
    {
      column: 'phone',
      mask: { type: 'constant', value: '***' },
      applies: false,
      reason: 'alice is in group Support',
      winner: MASK_PII,
      losers: [],
    },
  ],
  rowFilters: [
    { description: "region = 'US'", applies: true, policy: { policyKey: 'us-only', name: 'US only' } },
  ],
  skipped: [{ policy: { policyKey: 'draft', name: 'Draft' }, reason: 'the policy is staged' }],
};

describe('steward explain against a stub API speaking the policyInfo contract', () => {
  let api: StubApi;

  before(async () => {
    api = await startStubApi();
  });
  beforeEach(() => {
    api.reset();
    api.state.users = [{ id: 7, username: 'alice' }];
    api.state.databases = { demo: ['postgres'], multi: ['east', 'west'] };
    api.state.tables = { 'demo/postgres/sales/customers': '42' };
    api.state.policyInfo = { '42/7': POLICY_INFO };
  });
  after(async () => {
    await api?.close();
  });

  test('explains subscription, each masked column with winner and losers, row filters and skipped policies', async () => {
    const run = await api.run(['explain', '--user', 'Alice', '--datasource', 'demo/sales/customers']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'user:        alice (principal alice_pg)',
        'data source: sales.customers (id 42)',
        'subscribed:  yes: alice is in group Analysts',
        '  grant: Analysts may read [analysts-read]',
        '',
        'Masked columns:',
        '  email: hash (applies: alice lacks the attribute Clearance=PII)',
        '    wins:  Mask PII [mask-pii]',
        '    loses: Null contacts [null-contacts]: a hash keeps equal values equal, so it wins over null',
        '  phone: constant value="***" (does not apply: alice is in group Support)',
        '    wins:  Mask PII [mask-pii]',
        '',
        'Row filters:',
        'APPLIES  POLICY             FILTER',
        "yes      US only [us-only]  region = 'US'",
        '',
        'Skipped policies:',
        'POLICY         REASON',
        'Draft [draft]  the policy is staged',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      api.requests.map((r) => `${r.method} ${r.path}`).sort(),
      [
        'GET /data/object/demo/postgres/sales/customers',
        'GET /dataSource/42/users/7/policyInfo',
        'GET /users',
        'POST /data/object/search/demo',
      ],
      'a three-part path is completed with the connection’s only database',
    );
    assert.equal(api.requests.find((r) => r.path === '/users')?.query['username'], 'Alice');
  });

  test('--json prints the raw policyInfo answer, and a data source id needs no object lookup', async () => {
    const run = await api.run(['explain', '--user', 'alice', '--datasource', '42', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), POLICY_INFO);
    assert.ok(!api.requests.some((r) => r.path.startsWith('/data/object')));
  });

  test('a four-part path is looked up as is, and nothing-to-explain sections say none', async () => {
    api.state.policyInfo = {
      '42/7': {
        ...POLICY_INFO,
        subscribed: { value: false, reason: 'no grant matches alice', policies: [] },
        masks: [],
        rowFilters: [],
        skipped: [],
      },
    };
    const run = await api.run([
      'explain',
      '--user',
      'alice',
      '--datasource',
      'demo/postgres/sales/customers',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^subscribed: +no: no grant matches alice\n\nMasked columns: none\n\nRow filters: none\n$/m,
    );
    assert.ok(!api.requests.some((r) => r.path.startsWith('/data/object/search')));
  });

  test('fails with exit 1 on a connection with several databases, an unknown table or an unknown user', async () => {
    const several = await api.run(['explain', '--user', 'alice', '--datasource', 'multi/sales/customers']);
    assert.equal(several.code, 1);
    assert.equal(
      several.stderr,
      'error: the connection multi has several databases (east, west); ' +
        'name the table as connection/database/schema/table\n',
    );
    const missing = await api.run(['explain', '--user', 'alice', '--datasource', 'demo/sales/nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: There is no such object.\n');
    const nobody = await api.run(['explain', '--user', 'nobody', '--datasource', '42']);
    assert.equal(nobody.code, 1);
    assert.equal(nobody.stderr, 'error: there is no user "nobody"\n');
  });

  test('a data source that is neither an id nor a table path is a usage error', async () => {
    const run = await api.run(['explain', '--user', 'alice', '--datasource', 'demo/sales']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /expected a data source id, or a table as connection\/schema\/table/);
    assert.deepEqual(api.requests, []);
  });
});
