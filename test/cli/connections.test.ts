import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';
import { asAdmin, type CliHarness, closedPortUrl, startCliHarness } from './cli-harness.ts';

const SEED = `
CREATE SCHEMA sales;
CREATE SCHEMA hr;
CREATE TABLE sales.customers (id bigint PRIMARY KEY, email text NOT NULL, name varchar(80));
COMMENT ON TABLE sales.customers IS 'Customers';
CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12,2));
CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders WHERE amount > 1000;
CREATE TABLE hr.employees (id int PRIMARY KEY, salary numeric);
`;

describe('steward connection and objects against a real warehouse', () => {
  let wh: TestWarehouse;
  let h: CliHarness;
  let dir = '';
  let closedPort = 0;
  let integrationId = 0;
  const steward = (args: readonly string[]) => h.run([...args, ...asAdmin(h)]);
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const password = () => String(wh.connection['password']);

  before(async () => {
    wh = await createEmbeddedWarehouse();
    await wh.exec(SEED);
    h = await startCliHarness({ platforms: platformsFor(wh) });
    dir = mkdtempSync(join(tmpdir(), 'steward-cli-conn-'));
    closedPort = Number(new URL(await closedPortUrl()).port);
  });
  after(async () => {
    await h?.close();
    await wh?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('connection script prints the setup script to stdout, and {script} with --json', async () => {
    const setup = file(
      'setup.yaml',
      stringify({
        type: 'PostgreSQL',
        autoBootstrap: false,
        config: { host: 'embedded', port: 5432, database: 'postgres', schema: 'steward' },
      }),
    );
    const plain = await steward(['connection', 'script', '-f', setup]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^-- Steward setup for PostgreSQL database postgres on embedded:5432\.$/m);
    assert.match(plain.stdout, /^CREATE SCHEMA IF NOT EXISTS "steward" AUTHORIZATION "steward_service";$/m);
    assert.equal(plain.stderr, '');
    const json = await steward(['connection', 'script', '-f', setup, '--cleanup', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const { script } = JSON.parse(json.stdout);
    assert.match(script, /Steward cleanup of a setup that did not complete/);
    assert.ok(!script.includes('CREATE SCHEMA'), script);
  });

  test('connection test prints each validation test and exits 0 when they pass', async () => {
    const conn = file('conn.yaml', stringify({ connectionKey: 'wh', connection: wh.connection }));
    const run = await steward(['connection', 'test', '-f', conn]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      'passed   Basic Connection Test   Reached embedded:5432.',
      'passed   Credentials             Signed in to postgres as steward_service.',
      'passed   Steward Schema Present  Schema steward exists.',
      'passed   Privileges              steward_service owns the Steward schema and can read the catalog.',
      'skipped  Audit Tables Readable   Skipped: query audit is not read from PostgreSQL.',
    ]);
  });

  test('connection test and register exit 1 and print the failed tests when validation fails', async () => {
    const wrong = file(
      'wrong.json',
      JSON.stringify({
        connectionKey: 'wrong',
        connection: { ...wh.connection, hostname: '127.0.0.1', port: closedPort },
      }),
    );
    const tested = await steward(['connection', 'test', '-f', wrong]);
    assert.equal(tested.code, 1);
    assert.match(
      tested.stdout,
      new RegExp(
        `^failed +Basic Connection Test +Could not reach 127\\.0\\.0\\.1:${closedPort}: ECONNREFUSED\\.$`,
        'm',
      ),
    );
    assert.match(
      tested.stderr,
      /^error: the connection failed these validation tests: Basic Connection Test$/m,
    );

    const registered = await steward(['connection', 'register', '-f', wrong]);
    assert.equal(registered.code, 1);
    assert.equal(registered.stdout, '');
    assert.equal(
      registered.stderr,
      'error: The connection failed these validation tests: Basic Connection Test.\n' +
        `  failed  Basic Connection Test  Could not reach 127.0.0.1:${closedPort}: ECONNREFUSED.\n`,
    );
  });

  test('connection register waits for the object sync, then objects ls shows the hierarchy', async () => {
    const conn = file(
      'register.yaml',
      stringify({ connectionKey: 'wh', connection: wh.connection, settings: { isActive: true } }),
    );
    const run = await steward(['connection', 'register', '-f', conn]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Registered connection wh\.\nObject sync of wh completed: (?=.*\bdatabases 1\b)(?=.*\badded 4\b).*\.\n$/,
    );
    assert.match(
      run.stderr.trimEnd().split('\n').at(-1)!,
      /^1\/1 jobs finished \(1 completed\); progress \d+\/\d+$/,
    );

    const connections = await steward(['objects', 'ls']);
    assert.equal(connections.code, 0, connections.stderr);
    assert.match(
      connections.stdout,
      /^NAME +KIND +STATE +REMOTE +DATA SOURCE\nwh +connection +active +present +-\n$/,
    );
    const schemas = await steward(['objects', 'ls', `wh/${wh.database}`]);
    const names = schemas.stdout
      .split('\n')
      .slice(1, -1)
      .map((l) => l.split(/ +/).slice(0, 2).join(' '));
    assert.ok(names.includes('hr schema') && names.includes('sales schema'), schemas.stdout);
    assert.ok(!names.includes('steward schema'), 'the Steward schema is not listed');
    const tables = await steward(['objects', 'ls', `wh/${wh.database}/sales`]);
    assert.match(tables.stdout, /^big_orders +view +active +present +\d+$/m);
    assert.match(tables.stdout, /^customers +table +active +present +\d+$/m);
    const searched = await steward([
      'objects',
      'ls',
      `wh/${wh.database}/sales/`,
      '--search',
      'ORD',
      '--limit',
      '1',
      '--json',
    ]);
    assert.equal(searched.code, 0, searched.stderr);
    const page = JSON.parse(searched.stdout);
    assert.deepEqual(
      page.objects.map((o: { name: string }) => o.name),
      ['big_orders'],
    );
    assert.equal(page.next, 1);
  });

  test('objects get shows state, settings and the columns of a table', async () => {
    const run = await steward(['objects', 'get', `wh/${wh.database}/sales/customers`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^path: +wh\/postgres\/sales\/customers$/m);
    assert.match(run.stdout, /^comment: +Customers$/m);
    assert.match(run.stdout, /^SETTING +VALUE +OWN OVERRIDE +OVERRIDDEN BELOW$/m);
    assert.match(run.stdout, /^isActive +true +- +no$/m);
    assert.match(run.stdout, /^dataOwners +none +- +no$/m);
    assert.match(run.stdout, /^# +COLUMN +TYPE +REMOTE TYPE +NULLABLE +COMMENT$/m);
    assert.match(run.stdout, /^3 +name +text +character varying\(80\) +yes +-$/m);
  });

  test('objects set --inactive makes an object and its descendants inactive, and --inherit undoes it', async () => {
    const sales = `wh/${wh.database}/sales`;
    const set = await steward(['objects', 'set', sales, '--inactive', '--new-children', 'inactive']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, 'Updated wh/postgres/sales: it is inactive.\n');
    const got = JSON.parse((await steward(['objects', 'get', sales, '--json'])).stdout);
    assert.equal(got.state, 'inactive');
    assert.deepEqual(got.overrides, { isActive: false, activateNewChildren: false });
    assert.equal(got.settings.isActive.value, false);
    const inactive = await steward(['objects', 'ls', `wh/${wh.database}`, '--state', 'inactive']);
    assert.match(inactive.stdout, /^sales +schema +inactive/m);
    assert.doesNotMatch(inactive.stdout, /^hr /m);

    const inherited = await steward([
      'objects',
      'set',
      sales,
      '--inherit',
      '--new-children',
      'inherit',
      '--json',
    ]);
    assert.equal(inherited.code, 0, inherited.stderr);
    const result = JSON.parse(inherited.stdout);
    assert.equal(result.object.state, 'active');
    assert.deepEqual(result.object.overrides, {});
    assert.match(result.bulkId, /^[0-9a-f-]{36}$/, 'activating a schema syncs below it');
  });

  test('objects set needs exactly one state flag', async () => {
    const none = await steward(['objects', 'set', 'wh']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give --active, --inactive or --inherit, or --new-children/);
    const badPath = await steward(['objects', 'get', 'wh//sales']);
    assert.equal(badPath.code, 2);
    assert.match(badPath.stderr, /expected names separated by slashes/);
  });

  test('objects sync waits for the sync and reports it as JSON', async () => {
    const run = await steward(['objects', 'sync', `wh/${wh.database}/hr`, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(result.objectPath, ['wh', wh.database, 'hr']);
    assert.deepEqual(
      result.jobs.map((j: { state: string }) => j.state),
      ['completed'],
    );
    const started = await steward(['objects', 'sync', 'wh', '--no-wait']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(
      started.stdout,
      /^Object sync of wh started \(bulk ([0-9a-f-]{36})\); follow it with: steward jobs wait \1$/m,
    );
  });

  test('connection get shows the connection with its password as [REDACTED]', async () => {
    const text = await steward(['connection', 'get', 'wh']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^connection\.hostname: +embedded$/m);
    assert.match(text.stdout, /^connection\.password: +\[REDACTED\]$/m);
    assert.match(text.stdout, /^created: +\S+ by admin$/m);
    const json = JSON.parse((await steward(['connection', 'get', 'wh', '--json'])).stdout);
    assert.equal(json.connection.password, '[REDACTED]');
    assert.equal(json.settings.isActive, true);
    integrationId = json.nativeIntegrationId;
  });

  test('connection update re-validates: a failing change is refused, a passing one is saved', async () => {
    const broken = file(
      'broken.yaml',
      stringify({ connection: { hostname: '127.0.0.1', port: closedPort } }),
    );
    const refused = await steward(['connection', 'update', 'wh', '-f', broken]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error: The changed connection failed these validation tests: Basic Connection Test\.$/m,
    );
    assert.match(refused.stderr, /^ {2}failed +Basic Connection Test +Could not reach/m);

    const patch = file(
      'patch.yaml',
      stringify({ connection: { password: '[REDACTED]' }, settings: { isActive: false } }),
    );
    const saved = await steward(['connection', 'update', 'wh', '-f', patch]);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /^Updated connection wh\.$/m);
    assert.match(saved.stdout, /^connection\.hostname: +embedded$/m);
    assert.match(saved.stdout, /^settings\.isActive: +false$/m);
  });

  test('a missing, malformed or non-mapping file is a usage error that never quotes the file', async () => {
    const missing = await steward(['connection', 'test', '-f', join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: cannot read \S+nope\.yaml \(ENOENT\)$/m);
    const malformed = file('malformed.yaml', 'connectionKey: wh\nconnection: {password: hunter2, port: [\n');
    const syntax = await steward(['connection', 'register', '-f', malformed]);
    assert.equal(syntax.code, 2);
    assert.match(
      syntax.stderr,
      /^error: \S+malformed\.yaml is not valid YAML or JSON \(line \d+, column \d+\): /m,
    );
    assert.ok(!syntax.stderr.includes('hunter2'), syntax.stderr);
    const list = await steward(['connection', 'script', '-f', file('list.json', '[1, 2]')]);
    assert.equal(list.code, 2);
    assert.match(list.stderr, /^error: \S+list\.json must hold a mapping of fields/m);
  });

  test('connection delete needs --yes without a terminal, and deletes the connection with it', async () => {
    const removal = await steward(['connection', 'script', '--delete', String(integrationId)]);
    assert.equal(removal.code, 0, removal.stderr);
    assert.match(removal.stdout, /Steward removal/);

    const unconfirmed = await steward(['connection', 'delete', 'wh']);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /^error: there is no terminal to confirm the deletion on; pass --yes$/m);

    const deleted = await steward(['connection', 'delete', 'wh', '--yes']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^Deleted connection wh and the \d+ objects below it\.\n$/);
    assert.equal((await steward(['objects', 'ls'])).stdout, 'No connections.\n');
  });

  test('never prints the password or the API key', () => {
    assert.ok(h.runs.length >= 25);
    for (const run of h.runs) {
      const all = run.stdout + run.stderr;
      assert.ok(!all.includes(password()) && !all.includes(h.adminKey), all);
    }
  });
});
