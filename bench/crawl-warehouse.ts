import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { TEST_SERVER_URL } from '../test/support/store.ts';
import { createServerWarehouse, type TestWarehouse } from '../test/support/warehouse.ts';
import { guarded } from './cleanup.ts';
import { note } from './report.ts';

/** The shape of the crawled warehouse, as in performance.md's `catalog/setup_10k.sql`. */
export const SHAPE = { schemas: 20, tablesPerSchema: 500, columnsPerTable: 10 } as const;

/** Tables in the warehouse. */
export const TABLES = SHAPE.schemas * SHAPE.tablesPerSchema;

/** Columns in the warehouse before any change. */
export const COLUMNS = TABLES * SHAPE.columnsPerTable;

/** Tables the "changed" re-sync alters: the first `CHANGED_PER_SCHEMA` tables of every schema. */
const CHANGED_PER_SCHEMA = 5;

/** Tables that get a column added before the "changed" re-sync. */
export const CHANGED_TABLES = SHAPE.schemas * CHANGED_PER_SCHEMA;

/** Statement-building DO blocks run at once while populating (each holds about 2,000 locks). */
const PARALLEL_BLOCKS = 2;

/** A DO block creating one schema of tables, each with a primary key, a table comment and a column comment. */
function schemaBlock(schema: number): string {
  return `DO $$
DECLARE t int;
BEGIN
  EXECUTE format('CREATE SCHEMA %I', 'sch_${schema}');
  FOR t IN 1..${SHAPE.tablesPerSchema} LOOP
    EXECUTE format('CREATE TABLE %I.%I (id bigint PRIMARY KEY, customer_email text, phone text, amount numeric(12,2),
      created_at timestamptz, region text, status text, notes text, score double precision, is_active boolean)',
      'sch_${schema}', 'tbl_' || t);
    EXECUTE format('COMMENT ON TABLE %I.%I IS %L', 'sch_${schema}', 'tbl_' || t, 'table ' || t);
    EXECUTE format('COMMENT ON COLUMN %I.%I.customer_email IS %L', 'sch_${schema}', 'tbl_' || t, 'PII email');
  END LOOP;
END$$`;
}

/** A DO block adding (or dropping) the `bench_added` column in the changed tables. */
function changeBlock(action: 'add' | 'drop'): string {
  const clause = action === 'add' ? 'ADD COLUMN bench_added text' : 'DROP COLUMN IF EXISTS bench_added';
  return `DO $$
DECLARE s int; t int;
BEGIN
  FOR s IN 1..${SHAPE.schemas} LOOP
    FOR t IN 1..${CHANGED_PER_SCHEMA} LOOP
      EXECUTE format('ALTER TABLE %I.%I ${clause}', 'sch_' || s, 'tbl_' || t);
    END LOOP;
  END LOOP;
END$$`;
}

/** The superuser URL of a database on the local server. */
function adminUrl(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement as a superuser in a database of the local server. */
async function asAdmin(database: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(database), application_name: 'steward-bench' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function populate(database: string): Promise<void> {
  const queue = Array.from({ length: SHAPE.schemas }, (_, i) => i + 1);
  const worker = async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) await asAdmin(database, schemaBlock(s));
  };
  await Promise.all(Array.from({ length: PARALLEL_BLOCKS }, worker));
  // Fresh statistics on the catalogs the crawl reads, as autovacuum would leave them.
  await asAdmin(database, 'ANALYZE pg_class, pg_namespace, pg_attribute, pg_type, pg_description');
}

/** Adds a column to each of the `CHANGED_TABLES` tables of the warehouse. */
export function changeTables(database: string): Promise<void> {
  return asAdmin(database, changeBlock('add'));
}

/** Drops the column `changeTables` added, so the next run crawls the original shape again. */
export function restoreTables(database: string): Promise<void> {
  return asAdmin(database, changeBlock('drop'));
}

/**
 * Creates a warehouse database on the local server set up with Steward's script (a fresh service role),
 * fills it with `TABLES` tables of `SHAPE.columnsPerTable` columns, runs `fn`, then drops the database and
 * the role, even on failure.
 */
export async function withCrawlWarehouse<T>(fn: (warehouse: TestWarehouse) => Promise<T>): Promise<T> {
  const host = new URL(TEST_SERVER_URL).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    throw new Error(`Benchmarks only use a local PostgreSQL server, not ${host}.`);
  }
  const warehouse = await createServerWarehouse();
  return guarded(
    () => warehouse.drop(),
    async () => {
      const started = performance.now();
      await populate(warehouse.database);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      note(`crawl warehouse: ${TABLES} tables x ${SHAPE.columnsPerTable} columns created in ${seconds} s`);
      return fn(warehouse);
    },
  );
}
