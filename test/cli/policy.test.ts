import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parse } from 'yaml';
import { canonical, type StubApi, startStubApi } from './policy-stub.ts';

const ANALYSTS = {
  policyKey: 'analysts-read',
  name: 'Analysts may read',
  type: 'subscription',
  actions: { type: 'entitlements', entitlements: { groups: ['Analysts'] } },
};
const MASK_PII = {
  policyKey: 'mask-pii',
  name: 'Mask PII',
  type: 'data',
  actions: [
    {
      rules: [
        {
          type: 'Masking',
          config: {
            fields: [{ type: 'columnTags', columnTag: 'PII' }],
            maskingConfig: { type: 'Consistent Value' },
          },
        },
      ],
    },
  ],
};
const LEGACY = { policyKey: 'legacy policy', type: 'subscription', actions: { type: 'anyone' } };

const GRANTS_YAML = `# Subscription and row policies
policyKey: analysts-read
name: Analysts and auditors may read
type: subscription
actions:
  type: entitlements
  entitlements:
    groups: [Analysts]
---
policyKey: new-filter
type: data
actions:
  - rules:
      - type: Row Restriction by Custom Where Clause
        config:
          predicate: region = 'US'
---
# an empty document is skipped
`;

const INVALID = {
  status: 400,
  code: 'POLICY_INVALID',
  detail: 'The policy document is invalid.',
  errors: [
    {
      in: 'body',
      pointer: '#/actions/0/rules/0/config/predicate',
      field: 'actions.0.rules.0.config.predicate',
      detail: 'is not a valid WHERE clause',
    },
  ],
};

describe('steward policy plan, apply and clone against a stub API speaking the policy contract', () => {
  let api: StubApi;
  let root = '';
  let dirs = 0;
  /** Writes files into a fresh directory and returns its path. */
  const dirWith = (files: Record<string, string>): string => {
    const dir = join(root, `policies-${++dirs}`);
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  /** The usual directory: a two-document YAML file (update + create) and an unchanged JSON file. */
  const usualDir = () =>
    dirWith({
      'grants.yaml': GRANTS_YAML,
      'masks.json': JSON.stringify(MASK_PII),
      'notes.txt': 'not a policy',
    });

  before(async () => {
    api = await startStubApi();
    root = mkdtempSync(join(tmpdir(), 'steward-cli-policy-'));
  });
  beforeEach(() => api.reset([ANALYSTS, MASK_PII, LEGACY]));
  after(async () => {
    await api?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('plan exits 0 and changes nothing when every document matches the server', async () => {
    const dir = dirWith({
      'all.yaml': [ANALYSTS, MASK_PII].map((d) => JSON.stringify(d)).join('\n---\n'),
    });
    const run = await api.run(['policy', 'plan', '-d', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      '1 policy on the server is not managed here (--prune deletes them): legacy policy\n' +
        'No changes: 2 policies are up to date.\n',
    );
    assert.equal(run.stderr, '');
    const dryRuns = api.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      dryRuns.map((r) => [r.query['dryRun'], (r.body as { policyKey: string }).policyKey]).sort(),
      [
        ['true', 'analysts-read'],
        ['true', 'mask-pii'],
      ],
    );
    assert.deepEqual(api.writes(), []);
  });

  test('plan reads every document of a multi-document YAML file and exits 2 listing creates and updates', async () => {
    const dir = usualDir();
    const run = await api.run(['policy', 'plan', '-d', dir]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stdout,
      `~ update  analysts-read  (${dir}/grants.yaml:2)\n` +
        '    ~ name: "Analysts may read" -> "Analysts and auditors may read"\n' +
        `+ create  new-filter  (${dir}/grants.yaml:10)\n` +
        '    affects 1 data source: sales.customers\n' +
        '1 policy on the server is not managed here (--prune deletes them): legacy policy\n' +
        'Plan: 1 to create, 1 to update, 0 to delete, 1 unchanged.\n',
    );
    assert.equal(run.stderr, '', 'exit 2 is the answer, not an error');
    assert.deepEqual(api.writes(), []);
  });

  test('plan --prune lists server policies without a document as deletions', async () => {
    const run = await api.run(['policy', 'plan', '-d', usualDir(), '--prune']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /^- delete {2}legacy policy {2}\(on the server only\)$/m);
    assert.doesNotMatch(run.stdout, /not managed here/);
    assert.match(run.stdout, /^Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged\.$/m);
    assert.deepEqual(api.writes(), []);
  });

  test('plan --json prints a machine-readable plan and still exits 2 when there are changes', async () => {
    const dir = usualDir();
    const run = await api.run(['policy', 'plan', '-d', dir, '--json']);
    assert.equal(run.code, 2, run.stderr);
    const plan = JSON.parse(run.stdout);
    assert.equal(plan.changes, true);
    assert.deepEqual(plan.summary, { create: 1, update: 1, delete: 0, unchanged: 1 });
    assert.deepEqual(
      plan.policies.map((p: { policyKey: string; action: string; file: string; line: number }) => [
        p.policyKey,
        p.action,
        p.file,
        p.line,
      ]),
      [
        ['analysts-read', 'update', `${dir}/grants.yaml`, 2],
        ['new-filter', 'create', `${dir}/grants.yaml`, 10],
        ['mask-pii', 'unchanged', `${dir}/masks.json`, 1],
      ],
    );
    assert.deepEqual(plan.policies[0].changes, [
      { path: 'name', before: 'Analysts may read', after: 'Analysts and auditors may read' },
    ]);
    assert.deepEqual(plan.policies[1].affectedDataSources, [{ dataSourceId: '42', name: 'sales.customers' }]);
    assert.deepEqual(plan.notManaged, ['legacy policy']);
  });

  test('a policy key in two files fails with exit 1, naming both places, before calling the server', async () => {
    const dir = dirWith({
      'a.yaml': 'policyKey: mask-pii\ntype: data\n',
      'b.yaml': '# second copy\n---\npolicyKey: other\n---\npolicyKey: mask-pii\n',
    });
    const run = await api.run(['policy', 'plan', '-d', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `error: the policy key "mask-pii" is in both ${dir}/a.yaml:1 and ${dir}/b.yaml:5\n`,
    );
    assert.deepEqual(api.requests, []);
  });

  test('a document without a policyKey, an invalid YAML file and an empty directory each fail with exit 1', async () => {
    const noKey = dirWith({ 'a.yaml': 'policyKey: ok\n---\nname: no key here\n' });
    const missing = await api.run(['policy', 'plan', '-d', noKey]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `error: ${noKey}/a.yaml:3: the policy document has no policyKey\n`);

    const broken = dirWith({ 'a.yml': 'policyKey: [unclosed\n' });
    const invalid = await api.run(['policy', 'plan', '-d', broken]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, new RegExp(`^error: ${broken}/a\\.yml:\\d+ is not valid YAML or JSON: `));

    const empty = dirWith({ 'README.md': '# policies' });
    const none = await api.run(['policy', 'plan', '-d', empty, '--prune']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, `error: ${empty} holds no policy documents (*.yaml, *.yml, *.json)\n`);
    assert.deepEqual(api.requests, [], 'an empty directory never plans deleting every policy');
  });

  test('plan reports every document the server refuses, with file, line and field, and exits 1', async () => {
    api.state.refuse.set('new-filter', INVALID);
    api.state.refuse.set('mask-pii', {
      status: 409,
      code: 'POLICY_SCOPE_MISMATCH',
      detail: 'The policy exists with another scope or data source.',
    });
    const dir = usualDir();
    const run = await api.run(['policy', 'plan', '-d', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `error: ${dir}/grants.yaml:10 (policy "new-filter"): The policy document is invalid.\n` +
        '  actions.0.rules.0.config.predicate: is not a valid WHERE clause\n' +
        `error: ${dir}/masks.json:1 (policy "mask-pii"): The policy exists with another scope or data source.\n` +
        'error: the server refused 2 of 3 policy documents; nothing was changed\n',
    );
  });

  test('plan usage errors exit 1, since exit 2 means there are changes', async () => {
    const run = await api.run(['policy', 'plan']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /required option '-d, --dir <dir>' not specified/);
    const help = await api.run(['policy', 'plan', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /exit 0: no changes, 2: changes, 1: error/);
  });

  test('apply writes creations and updates in file order, then deletes pruned policies, and reports each', async () => {
    const dir = usualDir();
    const run = await api.run(['policy', 'apply', '-d', dir, '--prune', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(api.writes(), [
      'POST analysts-read',
      'POST new-filter',
      'DELETE /api/v2/policy/legacy%20policy',
    ]);
    assert.equal(
      run.stdout,
      `~ update  analysts-read  (${dir}/grants.yaml:2)\n` +
        '    ~ name: "Analysts may read" -> "Analysts and auditors may read"\n' +
        `+ create  new-filter  (${dir}/grants.yaml:10)\n` +
        '    affects 1 data source: sales.customers\n' +
        '- delete  legacy policy  (on the server only)\n' +
        'Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged.\n' +
        `updated analysts-read  (${dir}/grants.yaml:2)\n` +
        `created new-filter  (${dir}/grants.yaml:10)\n` +
        'deleted legacy policy\n' +
        'Apply complete: 1 created, 1 updated, 1 deleted, 1 unchanged.\n',
    );
    assert.deepEqual([...api.state.policies.keys()].sort(), ['analysts-read', 'mask-pii', 'new-filter']);

    const again = await api.run(['policy', 'plan', '-d', dir, '--prune']);
    assert.equal(again.code, 0, again.stdout);
    assert.equal(again.stdout, 'No changes: 3 policies are up to date.\n');
  });

  test('apply --json reports the plan and each applied step', async () => {
    const run = await api.run(['policy', 'apply', '-d', usualDir(), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(result.applied, [
      { policyKey: 'analysts-read', action: 'updated' },
      { policyKey: 'new-filter', action: 'created' },
    ]);
    assert.equal(result.failed, null);
    assert.deepEqual(result.notManaged, ['legacy policy']);
    assert.ok(api.state.policies.has('legacy policy'), 'without --prune nothing is deleted');
  });

  test('apply --prune without --yes and without a terminal refuses before changing anything', async () => {
    const run = await api.run(['policy', 'apply', '-d', usualDir(), '--prune']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: there is no terminal to confirm deleting policies on; pass --yes$/m);
    assert.deepEqual(api.writes(), []);
  });

  test('apply stops at the first refused write with exit 1, naming file and field, and deletes nothing', async () => {
    api.state.refuseWrite.set('new-filter', INVALID);
    const dir = dirWith({
      'a.yaml': GRANTS_YAML,
      'b.yaml': 'policyKey: later\ntype: subscription\nactions: {type: anyone}\n',
    });
    const run = await api.run(['policy', 'apply', '-d', dir, '--prune', '--yes']);
    assert.equal(run.code, 1);
    assert.deepEqual(api.writes(), ['POST analysts-read', 'POST new-filter']);
    assert.match(run.stdout, /^updated analysts-read {2}\(.*\)$/m);
    assert.doesNotMatch(run.stdout, /^(created|deleted) /m);
    assert.equal(
      run.stderr,
      `error: ${dir}/a.yaml:10 (policy "new-filter"): The policy document is invalid.\n` +
        '  actions.0.rules.0.config.predicate: is not a valid WHERE clause\n' +
        'Stopped after applying 1 of 5 changes.\n',
    );
    assert.ok(api.state.policies.has('legacy policy') && api.state.policies.has('mask-pii'));
    assert.ok(!api.state.policies.has('later'));
  });

  test('clone writes one YAML file per policy in a stable key order, and plan against it shows no changes', async () => {
    const tricky = {
      type: 'data',
      policyKey: 'Mask PII / Email',
      actions: [
        { rules: [{ type: 'Masking', config: { maskingConfig: { type: 'Constant', value: 'yes' } } }] },
      ],
      certification: { text: 'line one\nline two: 0123\n', label: 'null' },
      circumstances: [{ type: 'columnTags', columnTag: 'PII.Email' }],
    };
    api.reset([ANALYSTS, MASK_PII, LEGACY, tricky, { ...LEGACY, policyKey: 'mask pii email' }]);
    const out = join(root, 'clone');
    const run = await api.run(['policy', 'clone', '-o', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(out).sort(), [
      'analysts-read.yaml',
      'legacy-policy.yaml',
      'mask-pii-email-2.yaml',
      'mask-pii-email.yaml',
      'mask-pii.yaml',
    ]);
    assert.match(run.stdout, /^FILE +POLICY KEY$/m);
    assert.match(run.stdout, new RegExp(`^${out}/mask-pii-email\\.yaml +Mask PII / Email$`, 'm'));
    assert.match(run.stdout, /^Cloned 5 policies into /m);

    const text = readFileSync(join(out, 'mask-pii-email.yaml'), 'utf8');
    assert.deepEqual(
      text.split('\n').filter((l) => /^\w/.test(l)),
      [
        'policyKey: Mask PII / Email',
        'name: Mask PII / Email',
        'type: data',
        'actions:',
        'certification:',
        'circumstances:',
        'staged: false',
      ],
    );
    assert.deepEqual(parse(text), canonical(tricky), 'the YAML reads back to the same document');
    assert.match(text, /^ +value: "yes"$/m, 'strings a YAML 1.1 reader would misread are quoted');

    const plan = await api.run(['policy', 'plan', '-d', out, '--prune']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.equal(plan.stdout, 'No changes: 5 policies are up to date.\n');

    const again = await api.run(['policy', 'clone', '-o', out]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^error: 5 of the files exist already \(.*\); nothing was written \(--force overwrites\)$/m,
    );
    writeFileSync(join(out, 'mask-pii.yaml'), 'edited: true\n');
    const forced = await api.run(['policy', 'clone', '-o', out, '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(forced.stdout).files.length, 5);
    assert.equal(parse(readFileSync(join(out, 'mask-pii.yaml'), 'utf8')).policyKey, 'mask-pii');
  });
});
