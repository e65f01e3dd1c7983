import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk } from '../support/jobs.ts';
import {
  createEmbeddedWarehouse,
  createServerWarehouse,
  platformsFor,
  type TestWarehouse,
} from '../support/warehouse.ts';

const SEED = `
CREATE SCHEMA sales;
CREATE SCHEMA hr;
CREATE TABLE sales.customers (id bigint PRIMARY KEY, email text NOT NULL, name varchar(80), region text);
COMMENT ON TABLE sales.customers IS 'Customers';
COMMENT ON COLUMN sales.customers.email IS 'Work email';
CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12,2), placed_at timestamptz);
CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders WHERE amount > 1000;
CREATE MATERIALIZED VIEW sales.order_totals AS SELECT customer_id, sum(amount) AS total FROM sales.orders GROUP BY 1;
CREATE TABLE sales.events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE sales.events_2026 PARTITION OF sales.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE hr.employees (id int PRIMARY KEY, ssn char(11), salary numeric, tags text[]);
`;

for (const kind of ['server', 'embedded'] as const) {
  describe(`object sync of a real PostgreSQL (${kind === 'server' ? 'local server' : 'embedded PGlite'})`, () => {
    let wh: TestWarehouse;
    let t: TestApp;
    const auth = () => ({ authorization: t.adminKey });
    before(async () => {
      wh = kind === 'server' ? await createServerWarehouse() : await createEmbeddedWarehouse();
      await wh.exec(SEED);
      t = await createTestApp({ platforms: platformsFor(wh) });
    });
    after(async () => {
      await t?.close();
      await wh?.drop();
    });

    const get = async (path: string) => {
      const res = await t.app.inject({ url: `/data/object/${path}`, headers: auth() });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const children = async (path: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/data/object/search/${path}?size=1000`,
        headers: auth(),
        payload: {},
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().objects as Array<{
        name: string;
        state: string;
        remoteStatus: string;
        tableKind: string | null;
        dataSourceId: string | null;
      }>;
    };

    it('passes the dry run and registers, answering the object path and a bulk id', async () => {
      const payload = { connectionKey: 'wh', connection: wh.connection, settings: { isActive: true } };
      const test = await t.app.inject({
        method: 'POST',
        url: '/data/connection/test',
        headers: auth(),
        payload,
      });
      assert.equal(test.statusCode, 200, test.body);
      assert.equal(test.json().status, 'passed', test.body);
      assert.deepEqual(
        test.json().validationTests.map((v: { name: string; status: string }) => [v.name, v.status]),
        [
          ['Basic Connection Test', 'passed'],
          ['Credentials', 'passed'],
          ['Steward Schema Present', 'passed'],
          ['Privileges', 'passed'],
          ['Audit Tables Readable', 'skipped'],
        ],
      );
      const res = await t.app.inject({ method: 'POST', url: '/data/connection', headers: auth(), payload });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().objectPath, ['wh']);
      const jobs = await runBulk(t.deps, res.json().bulkId);
      assert.deepEqual(
        jobs.map((j) => j.state),
        ['completed'],
        JSON.stringify(jobs.map((j) => j.last_error)),
      );
    });

    it('crawls schemas, tables, views, materialized and partitioned tables with typed columns', async () => {
      assert.deepEqual(
        (await children('wh')).map((c) => c.name),
        [wh.database],
      );
      const schemas = (await children(`wh/${wh.database}`)).map((c) => c.name);
      assert.ok(
        schemas.includes('sales') && schemas.includes('hr') && !schemas.includes('steward'),
        schemas.join(),
      );
      const tables = await children(`wh/${wh.database}/sales`);
      assert.deepEqual(
        tables.map((c) => [c.name, c.tableKind]),
        [
          ['big_orders', 'view'],
          ['customers', 'table'],
          ['events', 'partitionedTable'],
          ['order_totals', 'materializedView'],
          ['orders', 'table'],
        ],
      );
      assert.ok(tables.every((c) => c.state === 'active' && c.dataSourceId !== null));
      const customers = await get(`wh/${wh.database}/sales/customers`);
      assert.equal(customers.comment, 'Customers');
      assert.deepEqual(
        customers.columns.map(
          (c: { name: string; remoteType: string; dataType: string; nullable: boolean }) => [
            c.name,
            c.remoteType,
            c.dataType,
            c.nullable,
          ],
        ),
        [
          ['id', 'bigint', 'integer', false],
          ['email', 'text', 'text', false],
          ['name', 'character varying(80)', 'text', true],
          ['region', 'text', 'text', true],
        ],
      );
      assert.equal(customers.columns[1].comment, 'Work email');
      const employees = await get(`wh/${wh.database}/hr/employees`);
      assert.deepEqual(
        employees.columns.map((c: { remoteType: string; dataType: string }) => [c.remoteType, c.dataType]),
        [
          ['integer', 'integer'],
          ['character(11)', 'text'],
          ['numeric', 'decimal'],
          ['text[]', 'array'],
        ],
      );
    });

    it('records added, dropped and retyped columns and dropped tables on the next sync', async () => {
      await wh.exec(`ALTER TABLE sales.customers ADD COLUMN phone text;
        ALTER TABLE sales.customers DROP COLUMN region;
        ALTER TABLE sales.customers ALTER COLUMN name TYPE text;
        DROP TABLE sales.orders CASCADE;
        CREATE TABLE sales.refunds (id bigint, amount numeric(12,2));`);
      const crawl = await t.app.inject({ method: 'POST', url: '/data/crawl/wh', headers: auth() });
      assert.equal(crawl.statusCode, 200, crawl.body);
      const [job] = await runBulk(t.deps, crawl.json().bulkId);
      assert.equal(job!.state, 'completed', job!.last_error ?? '');
      const changes = await t.store.db
        .selectFrom('schema_changes as c')
        .innerJoin('data_objects as o', 'o.id', 'c.object_id')
        .select(['o.name', 'c.column_name', 'c.change'])
        .orderBy('o.name')
        .orderBy('c.column_name')
        .execute();
      assert.deepEqual(
        changes.map((c) => [c.name, c.column_name, c.change]),
        [
          ['big_orders', null, 'tableDropped'],
          ['customers', 'name', 'columnTypeChanged'],
          ['customers', 'phone', 'columnAdded'],
          ['customers', 'region', 'columnDropped'],
          ['order_totals', null, 'tableDropped'],
          ['orders', null, 'tableDropped'],
          ['refunds', null, 'tableCreated'],
        ],
      );
      const orders = await get(`wh/${wh.database}/sales/orders`);
      assert.equal(orders.remoteStatus, 'dropped');
      assert.equal(
        orders.dataSourceId,
        null,
        'a dropped table disables its data source but keeps the object',
      );
      const customers = await get(`wh/${wh.database}/sales/customers`);
      assert.deepEqual(
        customers.columns.map((c: { name: string }) => c.name),
        ['id', 'email', 'name', 'phone'],
      );
    });

    it('changes nothing on a re-sync when nothing changed', async () => {
      const before = await t.store.db
        .selectFrom('schema_changes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const crawl = await t.app.inject({ method: 'POST', url: '/data/crawl/wh', headers: auth() });
      const [job] = await runBulk(t.deps, crawl.json().bulkId);
      assert.equal(job!.state, 'completed');
      const output = job!.output as Record<string, number>;
      assert.equal(output['added'], 0);
      assert.equal(output['changed'], 0);
      assert.equal(output['unchanged'], 4, 'customers, events, refunds and employees');
      const afterCount = await t.store.db
        .selectFrom('schema_changes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(afterCount.n, before.n);
    });
  });
}
