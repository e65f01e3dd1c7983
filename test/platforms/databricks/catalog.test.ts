import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CatalogTable } from '../../../src/platforms/platform.ts';
import { type FakeColumn, FakeDatabricks, type FakeTable } from './fake-databricks.ts';
import { connectionConfig, seedWorkspace, testPlatform } from './payloads.ts';

const TABLES = '/api/2.1/unity-catalog/tables';

function column(name: string, type_name: string, type_text: string, position: number): FakeColumn {
  return { name, type_name, type_text, position, nullable: position !== 0 };
}

function table(
  name: string,
  table_type = 'MANAGED',
  columns: FakeColumn[] = [column('id', 'LONG', 'bigint', 0)],
): FakeTable {
  return { name, table_type, columns };
}

async function collect(batches: AsyncIterable<CatalogTable[]>): Promise<CatalogTable[][]> {
  const out: CatalogTable[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

describe('Databricks Unity Catalog crawl (simulated Databricks REST server)', () => {
  let fake: FakeDatabricks;

  beforeEach(async () => {
    fake = await FakeDatabricks.start();
    seedWorkspace(fake);
    fake.addCatalog('main');
    fake.addCatalog('hive_metastore');
    fake.addCatalog('__databricks_internal', { catalogType: 'INTERNAL_CATALOG' });
    fake.addCatalog('sales');
    for (const s of ['default', 'information_schema', 'crm']) fake.addSchema('main', s);
    for (let i = 1; i <= 7; i++) fake.addTable('main', 'crm', table(`t${i}`));
    fake.addTable('main', 'default', table('events'));
  });
  afterEach(() => fake.close());

  it('crawls every page of catalogs, schemas and tables, one batch per page', async () => {
    fake.serverPageSize = 2;
    const platform = testPlatform();
    const session = await platform.connect(connectionConfig(fake));
    assert.deepEqual(await platform.listDatabases(session), ['main', 'sales']);
    assert.deepEqual(await platform.listSchemas(session, 'main'), [
      { name: 'default', comment: 'about default' },
      { name: 'crm', comment: 'about crm' },
    ]);
    const batches = await collect(platform.readTables(session, 'main', ['crm', 'default']));
    assert.deepEqual(
      batches.map((b) => b.map((t) => `${t.database}.${t.schema}.${t.name}`)),
      [
        ['main.crm.t1', 'main.crm.t2'],
        ['main.crm.t3', 'main.crm.t4'],
        ['main.crm.t5', 'main.crm.t6'],
        ['main.crm.t7'],
        ['main.default.events'],
      ],
    );
    assert.equal(fake.count(TABLES), 5);
    assert.ok(
      fake.requests.filter((r) => r.path === TABLES).every((r) => r.query.get('max_results') === '0'),
      'lets the server choose the page length',
    );
  });

  it('asks for the configured page length with max_results', async () => {
    const platform = testPlatform({ pageSize: 3 });
    const session = await platform.connect(connectionConfig(fake));
    const batches = await collect(platform.readTables(session, 'main', ['crm']));
    assert.deepEqual(
      batches.map((b) => b.length),
      [3, 3, 1],
    );
  });

  it('keeps reading past empty pages that still carry a next_page_token', async () => {
    fake.serverPageSize = 3;
    fake.emptyPages = true;
    const platform = testPlatform();
    const session = await platform.connect(connectionConfig(fake));
    const batches = await collect(platform.readTables(session, 'main', ['crm']));
    assert.deepEqual(
      batches.map((b) => b.length),
      [3, 3, 1],
    );
    assert.equal(fake.count(TABLES), 5);
  });

  it('leaves out the Steward catalog, Databricks catalogs (system, samples, internal, hive_metastore) and information_schema', async () => {
    fake.addCatalog('governance_tools', { catalogType: 'SYSTEM_CATALOG' });
    const platform = testPlatform();
    const session = await platform.connect(connectionConfig(fake, 'token', { catalog: 'main' }));
    assert.deepEqual(await platform.listDatabases(session), ['steward', 'sales']);
    assert.ok(!(await platform.listSchemas(session, 'main')).some((s) => s.name === 'information_schema'));
  });

  it('maps table types to kinds and column types to neutral families, positions counted from 1', async () => {
    fake.addSchema('sales', 'mix');
    const cols = [
      column('amount', 'DECIMAL', 'decimal(10,2)', 1),
      column('id', 'LONG', 'bigint', 0),
      column('tags', 'ARRAY', 'array<string>', 2),
      column('at', 'TIMESTAMP_NTZ', 'timestamp_ntz', 3),
      column('doc', 'VARIANT', 'variant', 4),
      column('span', 'INTERVAL', 'interval day', 5),
      column('legacy', '', 'varchar(10)', 6),
    ];
    const types: Array<[string, string]> = [
      ['MANAGED', 'table'],
      ['EXTERNAL', 'externalTable'],
      ['VIEW', 'view'],
      ['MATERIALIZED_VIEW', 'materializedView'],
      ['STREAMING_TABLE', 'streamingTable'],
      ['FOREIGN', 'foreignTable'],
      ['SOMETHING_NEW', 'table'],
    ];
    for (const [type] of types)
      fake.addTable('sales', 'mix', { ...table(type.toLowerCase(), type, cols), comment: `a ${type}` });
    const platform = testPlatform();
    const session = await platform.connect(connectionConfig(fake));
    const [batch] = await collect(platform.readTables(session, 'sales', ['mix']));
    assert.deepEqual(
      batch!.map((t) => [t.name, t.kind]),
      types.map(([type, kind]) => [type.toLowerCase(), kind]),
    );
    const managed = batch![0]!;
    assert.equal(managed.comment, 'a MANAGED');
    assert.deepEqual(
      managed.columns.map((c) => [c.position, c.name, c.remoteType, c.dataType, c.nullable, c.comment]),
      [
        [1, 'id', 'bigint', 'integer', false, null],
        [2, 'amount', 'decimal(10,2)', 'decimal', true, null],
        [3, 'tags', 'array<string>', 'array', true, null],
        [4, 'at', 'timestamp_ntz', 'timestamp', true, null],
        [5, 'doc', 'variant', 'json', true, null],
        [6, 'span', 'interval day', 'other', true, null],
        [7, 'legacy', 'varchar(10)', 'text', true, null],
      ],
    );
  });

  it('no longer reads a table dropped between two crawls', async () => {
    const platform = testPlatform();
    const session = await platform.connect(connectionConfig(fake));
    const names = async () =>
      (await collect(platform.readTables(session, 'main', ['crm']))).flat().map((t) => t.name);
    assert.ok((await names()).includes('t4'));
    fake.dropTable('main', 'crm', 't4');
    assert.deepEqual(await names(), ['t1', 't2', 't3', 't5', 't6', 't7']);
  });
});
