import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';
import { asAdmin, type CliHarness, startCliHarness } from './cli-harness.ts';

const SEED = `
CREATE SCHEMA sales;
CREATE TABLE sales.customers (id bigint PRIMARY KEY, email text NOT NULL, full_name text);
CREATE TABLE sales.orders (id bigint PRIMARY KEY, amount numeric);
`;

describe('steward tags, datasources, dictionary and domains against a real warehouse', () => {
  let wh: TestWarehouse;
  let h: CliHarness;
  let customers = '';
  let orders = '';
  const steward = (args: readonly string[]) => h.run([...args, ...asAdmin(h)]);
  const api = async <T = Record<string, string>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(`${h.server.url}${path}`, {
      method,
      headers: { authorization: h.adminKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  before(async () => {
    wh = await createEmbeddedWarehouse();
    await wh.exec(SEED);
    h = await startCliHarness({ platforms: platformsFor(wh) });
    const { bulkId } = await api<{ bulkId: string }>('POST', '/data/connection', {
      connectionKey: 'wh',
      connection: wh.connection,
    });
    const wait = await steward(['jobs', 'wait', bulkId]);
    assert.equal(wait.code, 0, wait.stderr);
    customers = (await api<{ dataSourceId: string }>('GET', `/data/object/wh/${wh.database}/sales/customers`))
      .dataSourceId;
    orders = (await api<{ dataSourceId: string }>('GET', `/data/object/wh/${wh.database}/sales/orders`))
      .dataSourceId;
  });
  after(async () => {
    await h?.close();
    await wh?.drop();
  });

  test('tags create makes the tags with their parents; tags ls lists them parents first', async () => {
    const created = await steward([
      'tags',
      'create',
      'PII.Email',
      'Finance',
      '--description',
      'made by the CLI',
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Created Finance, PII, PII.Email.\n');
    const ls = await steward(['tags', 'ls', '--source', 'manual']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(ls.stdout.trimEnd().split('\n'), [
      'NAME       SOURCE  DESCRIPTION',
      'Finance    manual  made by the CLI',
      'PII        manual  -',
      'PII.Email  manual  made by the CLI',
    ]);
    const json = JSON.parse((await steward(['tags', 'ls', '--under', 'PII', '--json'])).stdout);
    assert.deepEqual(
      json.tags.map((t: { name: string }) => t.name),
      ['PII', 'PII.Email'],
    );
  });

  test('tags apply tags a column and a data source; tags remove takes one off', async () => {
    const column = await steward(['tags', 'apply', `${customers}.email`, 'PII.Email']);
    assert.equal(column.code, 0, column.stderr);
    assert.equal(column.stdout, `The column email of data source ${customers} has PII.Email.\n`);
    const ds = await steward(['tags', 'apply', customers, 'Finance', 'PII']);
    assert.equal(ds.code, 0, ds.stderr);
    assert.equal(ds.stdout, `The data source ${customers} has Finance, PII.\n`);
    const removed = await steward(['tags', 'remove', customers, 'PII']);
    assert.equal(removed.stdout, `The data source ${customers} has Finance.\n`);
  });

  test('exits 1 with the server message for an unknown tag, and 2 for a malformed target', async () => {
    const unknown = await steward(['tags', 'apply', customers, 'No.Such']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No\.Such/);
    const usage = await steward(['tags', 'apply', 'customers.email', 'PII']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /expected a data source id/);
  });

  test('datasources ls lists and filters by parent tag; datasources get shows columns with tags', async () => {
    const ls = await steward(['datasources', 'ls']);
    assert.equal(ls.code, 0, ls.stderr);
    const lines = ls.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+NAME\s+STATUS\s+DOMAIN\s+TAGS$/);
    assert.equal(lines.length, 3);
    const byTag = JSON.parse((await steward(['datasources', 'ls', '--tag', 'PII', '--json'])).stdout);
    assert.deepEqual(
      byTag.dataSources.map((d: { id: string }) => d.id),
      [customers],
      'PII matches PII.Email on a column',
    );
    const get = await steward(['datasources', 'get', customers]);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, new RegExp(`^name:\\s+${wh.database}\\.sales\\.customers$`, 'm'));
    assert.match(get.stdout, /^crawl\s+passed\s+/m);
    assert.match(get.stdout, /^email\s+text\s+PII\.Email\s+-$/m);
    const missing = await steward(['datasources', 'get', '987654']);
    assert.equal(missing.code, 1);
  });

  test('dictionary get shows descriptions edited through the API', async () => {
    await api('PUT', `/dictionary/${customers}`, {
      metadata: [{ name: 'full_name', description: 'Given and family name' }],
    });
    const run = await steward(['dictionary', 'get', customers]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^full_name\s+text\s+text\s+\S.*\s+Given and family name$/m);
    const json = JSON.parse((await steward(['dictionary', 'get', customers, '--json'])).stdout);
    assert.equal(json.dataSource, customers);
  });

  test('domains create, assign and ls', async () => {
    const created = await steward(['domains', 'create', 'Sales', '--description', 'Revenue', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    const assign = await steward(['domains', 'assign', String(id), customers, orders]);
    assert.equal(assign.code, 0, assign.stderr);
    assert.equal(assign.stdout, 'Added 2 data source(s) to Sales.\n');
    const ls = await steward(['domains', 'ls']);
    assert.deepEqual(ls.stdout.trimEnd().split('\n'), [
      'ID  NAME   DATA SOURCES  DESCRIPTION',
      `${id}   Sales  2             Revenue`,
    ]);
    const removed = await steward(['domains', 'assign', String(id), orders, '--remove']);
    assert.equal(removed.stdout, 'Removed 1 data source(s) from Sales.\n');
    const filtered = JSON.parse(
      (await steward(['datasources', 'ls', '--domain', String(id), '--json'])).stdout,
    );
    assert.deepEqual(
      filtered.dataSources.map((d: { id: string }) => d.id),
      [customers],
    );
  });

  test('tags delete refuses a tag in use unless --force', async () => {
    const refused = await steward(['tags', 'delete', 'PII']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /in use|used by/);
    const forced = await steward(['tags', 'delete', 'PII', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, 'Deleted PII, PII.Email.\n');
  });
});
