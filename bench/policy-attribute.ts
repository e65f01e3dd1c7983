import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { ENTITLEMENT_SYNC_JOB_TYPE } from '../src/entitlements/request-sync.ts';
import { quoteIdent, quoteLiteral } from '../src/platforms/postgres/quote.ts';
import { POLICY_ENFORCE_JOB_TYPE } from '../src/policy/request-enforcement.ts';
import { type BenchServer, withBenchServer } from './bench-server.ts';
import { isInterrupted } from './cleanup.ts';
import { quantile } from './latency.ts';
import { withBenchWarehouse } from './policy-warehouse.ts';
import { figure, note } from './report.ts';
import { type WaitOptions, waitForIdleJobs, waitForObjectSync, waitUntil } from './wait.ts';

const KEY = 'bench';
const REGIONS = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south', 'ap-east', 'sa-east', 'af-south'];
const ROWS_PER_REGION = 100;
const CHANGES = 10;
/** How often the governed role queries while waiting for the new region's rows. */
const POLL_MS = 20;
const TIMEOUT_MS = 120_000;

/** The data policy of the benchmark: rows whose Location.Region column is one of the reader's Region values. */
const POLICY = {
  policyKey: 'bench-rows-by-region',
  name: 'Rows of your regions',
  type: 'data',
  circumstances: [{ type: 'columnTags', columnTag: 'Location.Region' }],
  actions: [
    {
      rules: [
        {
          type: 'Row Restriction By User Entitlements',
          config: {
            fields: [{ type: 'columnTags', columnTag: 'Location.Region' }],
            matchBy: { type: 'attribute', attribute: 'Region' },
          },
        },
      ],
    },
  ],
};

async function api(server: BenchServer, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const res = await server.app.inject({
    method,
    url,
    headers: { authorization: server.adminKey },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json() as Record<string, unknown>;
}

const POLL: WaitOptions = { timeoutMs: TIMEOUT_MS, everyMs: 5 };

/** Registers the warehouse and waits for its object sync; returns the data source id of `sales.orders`. */
async function register(server: BenchServer, connection: Record<string, unknown>): Promise<string> {
  const { bulkId } = (await api(server, 'POST', '/data/connection', {
    connectionKey: KEY,
    connection,
    settings: { isActive: true },
  })) as { bulkId: string };
  const db = server.deps.store.db;
  await waitForObjectSync(db, bulkId, POLL);
  const table = await db
    .selectFrom('data_objects')
    .select('id')
    .where('connection_key', '=', KEY)
    .where('kind', '=', 'table')
    .where('name', '=', 'orders')
    .executeTakeFirstOrThrow();
  return String(table.id);
}

/** The regions whose rows the role sees now. */
async function visibleRegions(reader: pg.Client): Promise<string[]> {
  const { rows } = await reader.query<{ region: string }>(
    'SELECT DISTINCT region FROM sales.orders ORDER BY 1',
  );
  return rows.map((r) => r.region);
}

/** One change: replaces the user's Region through the API, then polls as the role until its rows appear. */
async function change(
  server: BenchServer,
  userId: number,
  reader: pg.Client,
  region: string,
): Promise<number> {
  const started = performance.now();
  await api(server, 'PUT', `/users/${userId}/attributes/Region`, { values: [region] });
  const deadline = started + TIMEOUT_MS;
  for (;;) {
    const { rows } = await reader.query<{ seen: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM sales.orders WHERE region = $1) AS seen',
      [region],
    );
    if (rows[0]!.seen) break;
    if (isInterrupted()) throw new Error('Interrupted.');
    if (performance.now() > deadline) throw new Error(`Timed out waiting for the rows of ${region}.`);
    await sleep(POLL_MS);
  }
  const ms = performance.now() - started;
  // Each change starts from a quiet server: the push that showed the rows has finished.
  await waitForIdleJobs(server.deps.store.db, ENTITLEMENT_SYNC_JOB_TYPE, POLL);
  return ms;
}

/**
 * Time from a user's Region attribute change through the API until a governed table filtered by
 * Region shows that person the new region's rows, on a PostgreSQL server warehouse enforced by a
 * running Steward server (embedded metadata store); the role polls every 20 ms.
 */
export async function measureAttributeChange(): Promise<void> {
  const suffix = randomBytes(3).toString('hex');
  const owner = `pol_attr_owner_${suffix}`;
  const person = `pol_attr_user_${suffix}`;
  await withBenchWarehouse([owner, person], async (wh) => {
    const rows = REGIONS.map(
      (r, i) =>
        `SELECT ${i} * ${ROWS_PER_REGION} + g, ${quoteLiteral(r)}, g * 1.5 FROM generate_series(1, ${ROWS_PER_REGION}) g`,
    ).join(' UNION ALL ');
    await wh.exec(`CREATE SCHEMA sales AUTHORIZATION ${quoteIdent(owner)};
      SET ROLE ${quoteIdent(owner)};
      CREATE TABLE sales.orders (id int PRIMARY KEY, region text NOT NULL, amount numeric(12,2) NOT NULL);
      INSERT INTO sales.orders ${rows};
      GRANT USAGE ON SCHEMA sales TO ${quoteIdent(person)};
      GRANT SELECT ON sales.orders TO ${quoteIdent(person)};
      RESET ROLE;
      GRANT ${quoteIdent(owner)} TO ${quoteIdent(wh.serviceRole)};
      ANALYZE sales.orders;`);
    const reader = await wh.connectAs(person);
    await withBenchServer('embedded', {}, async (server) => {
      const dataSourceId = await register(server, wh.connection);
      await api(server, 'POST', '/tag', { name: 'Location.Region' });
      await api(server, 'POST', `/tag/column/${dataSourceId}_region`, [{ name: 'Location.Region' }]);
      const user = (await api(server, 'POST', '/users', { username: person })) as { id: number };
      await api(server, 'PUT', `/users/${user.id}/attributes/Region`, { values: [REGIONS[0]] });
      await api(server, 'POST', '/api/v2/policy', POLICY);
      const ready = performance.now();
      await waitUntil(
        'the row filter to be enforced',
        async () => JSON.stringify(await visibleRegions(reader)) === JSON.stringify([REGIONS[0]]),
        { timeoutMs: TIMEOUT_MS, everyMs: 50 },
      );
      await waitForIdleJobs(server.deps.store.db, POLICY_ENFORCE_JOB_TYPE, POLL);
      await waitForIdleJobs(server.deps.store.db, ENTITLEMENT_SYNC_JOB_TYPE, POLL);
      note(
        `policy_attribute_change: the policy was enforced ${((performance.now() - ready) / 1000).toFixed(1)} s after it was saved`,
      );
      const samples = new Float64Array(CHANGES);
      for (let i = 0; i < CHANGES; i++) {
        samples[i] = await change(server, user.id, reader, REGIONS[(i + 1) % REGIONS.length]!);
      }
      const seen = await visibleRegions(reader);
      if (JSON.stringify(seen) !== JSON.stringify([REGIONS[CHANGES % REGIONS.length]]))
        throw new Error(`After the changes the role sees ${seen.join(', ')}.`);
      note(
        `policy_attribute_change_visible_ms: samples ${[...samples].map((v) => v.toFixed(0)).join(', ')} ms`,
      );
      samples.sort();
      figure('policy_attribute_change_visible_ms', quantile(samples, 0.5), 'ms');
      figure('policy_attribute_change_visible_ms.max', quantile(samples, 1), 'ms');
    });
  });
}
