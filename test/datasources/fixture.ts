import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runBulk } from '../support/jobs.ts';
import { createEmbeddedWarehouse, platformsFor, type TestWarehouse } from '../support/warehouse.ts';

/** A warehouse with a few tables, registered as a connection and crawled, and an app to call. */
export interface MetadataFixture {
  readonly t: TestApp;
  readonly wh: TestWarehouse;
  /** Calls the API as the given key (the admin's by default). */
  call(options: InjectOptions, key?: string): Promise<LightMyRequestResponse>;
  /** Calls the API and fails the test unless the answer is 2xx; returns the parsed body. */
  ok<T = Record<string, unknown>>(options: InjectOptions, key?: string): Promise<T>;
  /** Registers the warehouse under a connection key and waits for its first crawl. */
  register(connectionKey: string): Promise<void>;
  /** Crawls a connection again and waits for it. */
  crawl(connectionKey: string): Promise<void>;
  /** The data source id of `<connection>/<database>/<schema>/<table>`. */
  dataSourceId(connectionKey: string, schema: string, table: string): Promise<string>;
  close(): Promise<void>;
}

/** The tables most metadata tests use. */
export const SEED = `
CREATE SCHEMA sales;
CREATE SCHEMA hr;
CREATE TABLE sales.customers (id bigint PRIMARY KEY, email text NOT NULL, full_name varchar(80), phone_number text);
CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12,2));
CREATE TABLE hr.employees (id int PRIMARY KEY, salary numeric, email text);
`;

/** Builds the fixture: an embedded warehouse seeded with `seed`, and a test app reaching it. */
export async function createMetadataFixture(seed = SEED): Promise<MetadataFixture> {
  const wh = await createEmbeddedWarehouse();
  await wh.exec(seed);
  const t = await createTestApp({ platforms: platformsFor(wh) });
  const call = (options: InjectOptions, key?: string) =>
    t.app.inject({ ...options, headers: { authorization: key ?? t.adminKey, ...options.headers } });
  const ok = async <T>(options: InjectOptions, key?: string): Promise<T> => {
    const res = await call(options, key);
    assert.ok(
      res.statusCode < 300,
      `${options.method ?? 'GET'} ${options.url}: ${res.statusCode} ${res.body}`,
    );
    return res.json() as T;
  };
  const settle = async (bulkId: string) => {
    const jobs = await runBulk(t.deps, bulkId);
    for (const job of jobs) assert.equal(job.state, 'completed', job.last_error ?? '');
  };
  return {
    t,
    wh,
    call,
    ok,
    async register(connectionKey) {
      const res = await ok<{ bulkId: string }>({
        method: 'POST',
        url: '/data/connection',
        payload: { connectionKey, connection: wh.connection },
      });
      await settle(res.bulkId);
    },
    async crawl(connectionKey) {
      const res = await ok<{ bulkId: string }>({ method: 'POST', url: `/data/crawl/${connectionKey}` });
      await settle(res.bulkId);
    },
    async dataSourceId(connectionKey, schema, table) {
      const object = await ok<{ dataSourceId: string | null }>({
        url: `/data/object/${connectionKey}/${wh.database}/${schema}/${table}`,
      });
      assert.ok(object.dataSourceId, `${schema}.${table} is a data source`);
      return object.dataSourceId;
    },
    async close() {
      await t.close();
      await wh.drop();
    },
  };
}

/** Reads the audit events a request wrote. */
export async function auditOf(t: TestApp, res: LightMyRequestResponse) {
  return t.store.db
    .selectFrom('audit_events')
    .selectAll()
    .where('request_id', '=', String(res.headers['x-request-id']))
    .orderBy('seq')
    .execute();
}

/** The dotted field names of a problem document's errors. */
export function fieldsOf(res: LightMyRequestResponse): string[] {
  return (res.json().errors ?? []).map((e: { field: string }) => e.field);
}
