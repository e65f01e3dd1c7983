import { performance } from 'node:perf_hooks';
import { BUILTIN_IDENTIFIERS } from '../src/discovery/builtin-identifiers.ts';
import { DISCOVERY_JOB_TYPE } from '../src/discovery/run-job.ts';
import { sampleSize } from '../src/discovery/scoring.ts';
import { createPostgresPlatform } from '../src/platforms/postgres/index.ts';
import { POLICY_ENFORCE_JOB_TYPE } from '../src/policy/request-enforcement.ts';
import { type BenchServer, withBenchServer } from './bench-server.ts';
import type { Benchmark } from './benchmark.ts';
import { guarded } from './cleanup.ts';
import { quantile } from './latency.ts';
import { type BenchWarehouse, withBenchWarehouse } from './policy-warehouse.ts';
import { figure, note } from './report.ts';
import { type WaitOptions, waitForIdleJobs, waitForObjectSync } from './wait.ts';

const KEY = 'bench';
const SCHEMAS = 20;
const TABLES_PER_SCHEMA = 50;
const ROWS = 300;
const WAIT: WaitOptions = { timeoutMs: 60 * 60_000, everyMs: 50 };

/**
 * 1,000 tables of 8 columns and 300 rows each, as a warehouse holds them: ids, amounts and dates next
 * to emails, names, phone numbers, card numbers (Luhn-valid, so they are validated in Steward on
 * the sample), free text and codes.
 */
const SETUP = `
CREATE OR REPLACE FUNCTION pg_temp.luhn(body text) RETURNS text LANGUAGE sql AS $$
  SELECT body || ((10 - (sum(CASE WHEN (length(body) - i) % 2 = 0 THEN
      CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END ELSE d END) % 10)) % 10)::text
    FROM (SELECT i, substr(body, i, 1)::int AS d FROM generate_series(1, length(body)) i) x $$;
CREATE TABLE public.seed AS
  SELECT i AS id,
         'user' || i || '.' || substr(md5(i::text), 1, 6) || '@example.com' AS email,
         (ARRAY['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth'])[1 + i % 10]
           || ' ' || (ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Martinez','Lopez'])[1 + (i / 10) % 10] AS full_name,
         '+1 415 555 ' || lpad((i % 10000)::text, 4, '0') AS phone,
         pg_temp.luhn('4539' || lpad((i * 7919 % 100000000000)::text, 11, '0')) AS card,
         'order ' || i || ' shipped, see ticket ' || (i * 31) AS note,
         round((i * 13.37)::numeric % 1000, 2) AS amount,
         DATE '2020-01-01' + i % 1500 AS created
    FROM generate_series(1, ${ROWS}) i;
DO $$
BEGIN
  FOR s IN 1..${SCHEMAS} LOOP
    EXECUTE format('CREATE SCHEMA %I', 's' || s);
    FOR t IN 1..${TABLES_PER_SCHEMA} LOOP
      EXECUTE format('CREATE TABLE %I.%I AS SELECT * FROM public.seed', 's' || s, 't' || t);
    END LOOP;
  END LOOP;
END $$;
DROP TABLE public.seed;
ANALYZE;`;

async function api(server: BenchServer, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await server.app.inject({
    method,
    url,
    headers: { authorization: server.adminKey },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json() as Record<string, unknown>;
}

/** The time of one `sampleHits` call on a 13,000-row, 8-column table, alone (median of 5). */
async function measureOneTable(warehouse: BenchWarehouse): Promise<void> {
  await warehouse.exec(
    `CREATE TABLE s1.big AS SELECT * FROM s1.t1, generate_series(1, 44) g; ANALYZE s1.big; GRANT SELECT ON s1.big TO ${warehouse.serviceRole}`,
  );
  const platform = createPostgresPlatform();
  const session = await platform.connect({
    connectionKey: KEY,
    connection: warehouse.connection,
    nativeIntegration: undefined,
  });
  await guarded(
    () => session.close(),
    async () => {
      const { rows } = await warehouse.exec(
        `SELECT attname AS name, format_type(atttypid, NULL) AS t FROM pg_attribute WHERE attrelid = 's1.big'::regclass AND attnum > 0 AND NOT attisdropped`,
      );
      const family = (t: string) =>
        t === 'text' ? 'text' : t === 'date' ? 'date' : t === 'numeric' ? 'decimal' : 'integer';
      const columns = rows.map((r: { name: string; t: string }) => ({ name: r.name, dataType: family(r.t) }));
      const identifiers = BUILTIN_IDENTIFIERS.filter((i) => i.kind !== 'columnName');
      const size = sampleSize(identifiers.length);
      const ms = new Float64Array(5);
      for (let i = 0; i < ms.length; i++) {
        const started = performance.now();
        await platform.sampleHits!(session, {
          database: warehouse.database,
          schema: 's1',
          table: 'big',
          columns,
          identifiers,
          sampleSize: size,
        });
        ms[i] = performance.now() - started;
      }
      figure('discovery.postgres.sample_hits_one_table', quantile(ms.slice().sort(), 0.5), 'ms');
      note(
        `discovery.postgres.sample_hits_one_table: ${size}-row sample of 13,200 rows, ${columns.length} columns, ${identifiers.length} value identifiers; runs ${[...ms].map((x) => x.toFixed(0)).join(', ')} ms`,
      );
    },
  );
}

/** Registers the 1,000-table warehouse, waits for the crawl, then times the discovery it triggers. */
async function discoverThousandTables(warehouse: BenchWarehouse): Promise<void> {
  await withBenchServer('embedded', {}, async (server) => {
    const db = server.deps.store.db;
    const started = performance.now();
    const { bulkId } = (await api(server, 'POST', '/data/connection', {
      connectionKey: KEY,
      connection: warehouse.connection,
      settings: { isActive: true },
    })) as { bulkId: string };
    await waitForObjectSync(db, bulkId, WAIT);
    const crawled = performance.now();
    await waitForIdleJobs(db, DISCOVERY_JOB_TYPE, WAIT);
    const discovered = performance.now();
    const job = await db
      .selectFrom('jobs')
      .select(['started_at', 'completed_at', 'output'])
      .where('type', '=', DISCOVERY_JOB_TYPE)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const result = job.output as unknown as {
      dataSources: number;
      columns: number;
      tagged: number;
      failed: number;
    };
    if (result.dataSources !== SCHEMAS * TABLES_PER_SCHEMA || result.failed > 0) {
      throw new Error(`Discovery covered ${result.dataSources} data sources with ${result.failed} failures.`);
    }
    const seconds = (job.completed_at!.getTime() - job.started_at!.getTime()) / 1000;
    figure('discovery.postgres_1k.job', seconds, 's');
    figure('discovery.postgres_1k.tables_per_second', result.dataSources / seconds, 'tables/s');
    figure('discovery.postgres_1k.end_to_end', (discovered - started) / 1000, 's');
    note(
      `discovery.postgres_1k: ${result.dataSources} tables, ${result.columns} columns (${result.tagged} tagged), ${ROWS} rows each; crawl ${((crawled - started) / 1000).toFixed(1)} s, then discovery job ${seconds.toFixed(1)} s; end to end includes the crawl and queueing`,
    );
    await waitForIdleJobs(db, POLICY_ENFORCE_JOB_TYPE, WAIT);
  });
}

/** Discovery of a real PostgreSQL database end to end, and the cost of one table's in-platform query. */
export function discoveryEndToEndBenchmarks(): Benchmark[] {
  return [
    {
      name: 'discovery.postgres_1k',
      run: () =>
        withBenchWarehouse([], async (warehouse) => {
          note('discovery.postgres_1k: creating 1,000 tables');
          await warehouse.exec(SETUP);
          await warehouse.exec(
            `GRANT USAGE ON SCHEMA ${Array.from({ length: SCHEMAS }, (_, s) => `s${s + 1}`).join(', ')} TO ${warehouse.serviceRole};` +
              Array.from(
                { length: SCHEMAS },
                (_, s) => `GRANT SELECT ON ALL TABLES IN SCHEMA s${s + 1} TO ${warehouse.serviceRole};`,
              ).join(''),
          );
          await discoverThousandTables(warehouse);
          await measureOneTable(warehouse);
        }),
    },
  ];
}
