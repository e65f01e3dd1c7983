import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type pg from 'pg';
import { ENTITLEMENT_SYNC_JOB_TYPE } from '../src/entitlements/request-sync.ts';
import { markEntitlementsChanged } from '../src/people/entitlements-changed.ts';
import type { Db } from '../src/store/schema.ts';
import { superuserClient } from '../test/entitlements/warehouse-rows.ts';
import { TEST_SERVER_URL } from '../test/support/store.ts';
import { createServerWarehouse } from '../test/support/warehouse.ts';
import { type BenchServer, withBenchServer } from './bench-server.ts';
import { BACKENDS, type Backend, type Benchmark } from './benchmark.ts';
import { guarded } from './cleanup.ts';
import { quantile } from './latency.ts';
import { figure, note } from './report.ts';
import { type WaitOptions, waitForIdleJobs, waitForObjectSync, waitUntil } from './wait.ts';

const USERS = 10_000;
const GROUPS = 50;
/** Data sources (tables) in the warehouse; every user subscribes to two of them. */
const DATA_SOURCES = 20;
/** Per user: 3 groups, 4 attribute values (two Regions, a Department, a Level), 2 subscriptions. */
const EXPECTED_ROWS = { user_groups: USERS * 3, user_attributes: USERS * 4, user_subscriptions: USERS * 2 };
const SAMPLES = 15;
const SAMPLES_WITHOUT_WAKE = 5;
const CHECK_MS = 2;
const TIMEOUT_MS = 120_000;
const KEY = 'bench';

/** Fills the directory: users, groups, memberships and attribute values, in a few set-based statements. */
async function populateDirectory(db: Db): Promise<void> {
  await sql`INSERT INTO users (username, state, permissions)
    SELECT 'user' || lpad(i::text, 5, '0'), 'active', '{}' FROM generate_series(1, ${USERS}) i`.execute(db);
  await sql`INSERT INTO groups (name) SELECT 'group_' || g FROM generate_series(1, ${GROUPS}) g`.execute(db);
  // Three distinct groups per user: offsets 0, 1 and 2 from a per-user start.
  await sql`INSERT INTO group_members (group_id, user_id)
    SELECT g.id, u.id FROM users u CROSS JOIN generate_series(0, 2) k
      JOIN groups g ON g.name = 'group_' || ((u.id * 7 + k) % ${GROUPS} + 1)
     WHERE u.username LIKE 'user%'`.execute(db);
  await sql`INSERT INTO user_attributes (user_id, attribute_key, attribute_value)
    SELECT u.id, a.key, a.value FROM users u CROSS JOIN LATERAL (VALUES
      ('Region', (ARRAY['US','CA','EU','APAC'])[u.id % 4 + 1]),
      ('Region', (ARRAY['US','CA','EU','APAC'])[(u.id + 1) % 4 + 1]),
      ('Department', 'dept_' || (u.id % 12)),
      ('Level', 'L' || (u.id % 5))) AS a(key, value)
     WHERE u.username LIKE 'user%'`.execute(db);
}

/** Subscribes every user to two of the connection's data sources. */
async function subscribe(db: Db): Promise<void> {
  await sql`INSERT INTO data_source_members (object_id, user_id, role)
    SELECT d.id, u.id, 'subscriber' FROM users u
      JOIN LATERAL (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM data_objects
                     WHERE connection_key = ${KEY} AND kind = 'table') d
        ON d.n IN (u.id % ${DATA_SOURCES}, (u.id + 1) % ${DATA_SOURCES})
     WHERE u.username LIKE 'user%'`.execute(db);
}

const POLL: WaitOptions = { timeoutMs: TIMEOUT_MS, everyMs: CHECK_MS };

/** Waits until no entitlement sync is queued or running, and fails if one failed. */
async function waitIdle(db: Db): Promise<void> {
  await waitForIdleJobs(db, ENTITLEMENT_SYNC_JOB_TYPE, POLL);
}

async function registerConnection(server: BenchServer, connection: Record<string, unknown>): Promise<void> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/data/connection',
    headers: { authorization: server.adminKey },
    payload: { connectionKey: KEY, connection, settings: { isActive: true } },
  });
  if (res.statusCode !== 200)
    throw new Error(`Registering the warehouse answered ${res.statusCode}: ${res.body}`);
  const { bulkId } = res.json() as { bulkId: string };
  const db = server.deps.store.db;
  await waitForObjectSync(db, bulkId, POLL);
}

async function counts(reader: pg.Client): Promise<Record<string, number>> {
  const { rows } = await reader.query<{ t: string; n: number }>(
    `SELECT 'user_groups' AS t, count(*)::int AS n FROM steward.user_groups
     UNION ALL SELECT 'user_attributes', count(*)::int FROM steward.user_attributes
     UNION ALL SELECT 'user_subscriptions', count(*)::int FROM steward.user_subscriptions`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** Times a first push of the whole directory: from the change's commit until the job completed. */
async function fullPush(server: BenchServer, reader: pg.Client, name: string): Promise<void> {
  const db = server.deps.store.db;
  const started = performance.now();
  await db.transaction().execute((trx) => markEntitlementsChanged(trx));
  server.deps.jobs.wake();
  await waitIdle(db);
  const seconds = (performance.now() - started) / 1000;
  const job = await db
    .selectFrom('jobs')
    .selectAll()
    .where('type', '=', ENTITLEMENT_SYNC_JOB_TYPE)
    .orderBy('completed_at', 'desc')
    .executeTakeFirstOrThrow();
  const held = await counts(reader);
  if (JSON.stringify(held) !== JSON.stringify(EXPECTED_ROWS))
    throw new Error(`The warehouse holds ${JSON.stringify(held)}, not ${JSON.stringify(EXPECTED_ROWS)}.`);
  figure(name, seconds, 's');
  const jobMs = job.completed_at!.getTime() - job.started_at!.getTime();
  note(`${name}: job itself ${jobMs} ms, output ${JSON.stringify(job.output)}`);
}

/** One group change: adds a user to a group, commits, and times until the row is visible in the warehouse. */
async function groupChange(
  server: BenchServer,
  reader: pg.Client,
  i: number,
  wake: boolean,
): Promise<number> {
  const db = server.deps.store.db;
  const username = `user${String(1 + ((i * 617) % USERS)).padStart(5, '0')}`;
  const { rows } = await sql<{ user_id: number; group_id: number; name: string }>`
    SELECT u.id AS user_id, g.id AS group_id, g.name FROM users u, groups g
     WHERE u.username = ${username}
       AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = u.id AND m.group_id = g.id)
     ORDER BY g.id LIMIT 1`.execute(db);
  const target = rows[0]!;
  const started = performance.now();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('group_members')
      .values({ group_id: target.group_id, user_id: target.user_id })
      .execute();
    await markEntitlementsChanged(trx);
  });
  if (wake) server.deps.jobs.wake();
  await waitUntil(
    'the new group row',
    async () => {
      const found = await reader.query(
        'SELECT 1 FROM steward.user_groups WHERE principal = $1 AND group_name = $2',
        [username, target.name],
      );
      return found.rowCount === 1;
    },
    POLL,
  );
  const ms = performance.now() - started;
  await waitIdle(db);
  return ms;
}

/** Notes the median time sync jobs spent loading the directory, computing rows and pushing them. */
async function notePhases(db: Db, name: string): Promise<void> {
  const jobs = await db
    .selectFrom('jobs')
    .select('output')
    .where('type', '=', ENTITLEMENT_SYNC_JOB_TYPE)
    .where('state', '=', 'completed')
    .orderBy('completed_at')
    .execute();
  // The first job is the full push; the rest are group changes.
  const phases = jobs.slice(1).map((j) => (j.output as { ms?: Record<string, number> } | null)?.ms ?? {});
  const median = (key: string) => quantile(Float64Array.from(phases.map((p) => p[key] ?? 0)).sort(), 0.5);
  note(
    `${name}: per sync job (median of ${phases.length}): load ${median('load')} ms, ` +
      `compute ${median('compute')} ms, push ${median('push')} ms`,
  );
}

async function measure(backend: Backend): Promise<void> {
  const warehouse = await createServerWarehouse();
  await guarded(
    () => warehouse.drop(),
    async () => {
      const tables = Array.from({ length: DATA_SOURCES }, (_, i) => `CREATE TABLE sales.t${i} (id int);`);
      await warehouse.exec(`CREATE SCHEMA sales; ${tables.join(' ')}`);
      const suffix = backend === 'postgres' ? '' : `.${backend}_store`;
      await withBenchServer(backend, {}, async (server) => {
        const db = server.deps.store.db;
        await registerConnection(server, warehouse.connection);
        await populateDirectory(db);
        await subscribe(db);
        const reader = await superuserClient(warehouse);
        await guarded(
          () => reader.end(),
          async () => {
            note(
              `entitlements${suffix}: ${USERS} users, store ${backend}, warehouse on ${new URL(TEST_SERVER_URL).host}`,
            );
            await fullPush(server, reader, `entitlements.full_push.10k_users${suffix}`);
            const woken = new Float64Array(SAMPLES);
            for (let i = 0; i < SAMPLES; i++) woken[i] = await groupChange(server, reader, i, true);
            const polled = new Float64Array(SAMPLES_WITHOUT_WAKE);
            for (let i = 0; i < SAMPLES_WITHOUT_WAKE; i++)
              polled[i] = await groupChange(server, reader, SAMPLES + i, false);
            woken.sort();
            polled.sort();
            const name = `entitlements.group_change_to_visible.10k_users${suffix}`;
            figure(name, quantile(woken, 0.5), 'ms');
            figure(`${name}.max`, quantile(woken, 1), 'ms');
            figure(`${name}.no_wake`, quantile(polled, 0.5), 'ms');
            note(
              `${name}: samples ${[...woken].map((v) => v.toFixed(0)).join(', ')} ms (runner woken after commit)`,
            );
            await notePhases(db, name);
            note(
              `${name}.no_wake: samples ${[...polled].map((v) => v.toFixed(0)).join(', ')} ms (runner poll only)`,
            );
          },
        );
      });
    },
  );
}

/**
 * Entitlement sync of 10,000 users (3 groups, 4 attribute values and 2 subscriptions each) to a
 * PostgreSQL server warehouse through a running server: the first full push, and the time from a
 * group change's commit until its row is visible in the warehouse, with and without waking the runner.
 */
export function entitlementBenchmarks(): Benchmark[] {
  return BACKENDS.map((backend) => ({
    name: `entitlements.10k_users.${backend}`,
    run: () => measure(backend),
  }));
}
