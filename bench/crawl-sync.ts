/**
 * One store back end's crawl run, in its own Node process (`node --import tsx bench/crawl-sync.ts`) so
 * its memory figures start clean: reads `STEWARD_BENCH_CRAWL`, builds the app over a fresh metadata store,
 * registers the warehouse, and times the first object sync, a re-sync with nothing changed and one after
 * `CHANGED_TABLES` tables gained a column, checking what each stored. Prints figures on stdout.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { InjectOptions } from 'fastify';
import { createPostgresPlatform } from '../src/platforms/postgres/index.ts';
import type { Db } from '../src/store/schema.ts';
import { createTestApp, type TestApp } from '../test/support/app.ts';
import { runBulk } from '../test/support/jobs.ts';
import { createTestStore } from '../test/support/store.ts';
import { cleanUpOnInterrupt, exitAfter, guarded } from './cleanup.ts';
import { CRAWL_OPTIONS_VAR, type CrawlOptions, parseCrawlOptions } from './crawl-protocol.ts';
import { CHANGED_TABLES, COLUMNS, changeTables, TABLES } from './crawl-warehouse.ts';
import { figure, note } from './report.ts';
import { megabytes, RssSampler } from './rss.ts';

const CONNECTION_KEY = 'bench';
const JOB_TIMEOUT_MS = 900_000;

/** What one timed sync did: wall time from the request to the job's completion, and the job row. */
interface Synced {
  readonly seconds: number;
  readonly requestSeconds: number;
  readonly jobSeconds: number;
  readonly jobId: string;
  readonly output: Record<string, unknown>;
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}.`);
}

/** Sends the request that starts a sync, runs the job to its end, and fails unless it completed. */
async function timedSync(t: TestApp, request: InjectOptions): Promise<Synced> {
  note(`${request.url}: starting, load average ${loadavg()[0]!.toFixed(2)}`);
  const started = performance.now();
  const res = await t.app.inject({ ...request, headers: { authorization: t.adminKey } });
  if (res.statusCode !== 200) throw new Error(`${request.url} answered ${res.statusCode}: ${res.body}`);
  const answered = performance.now();
  const jobs = await runBulk(t.deps, (res.json() as { bulkId: string }).bulkId, JOB_TIMEOUT_MS);
  const seconds = (performance.now() - started) / 1000;
  const job = jobs[0];
  if (jobs.length !== 1 || !job || job.state !== 'completed') {
    throw new Error(
      `The sync did not complete: ${jobs.map((j) => `${j.state} ${j.last_error ?? ''}`).join('; ')}`,
    );
  }
  const jobMs = (job.completed_at?.getTime() ?? Number.NaN) - (job.started_at?.getTime() ?? Number.NaN);
  return {
    seconds,
    requestSeconds: (answered - started) / 1000,
    jobSeconds: jobMs / 1000,
    jobId: job.id,
    output: (job.output ?? {}) as Record<string, unknown>,
  };
}

async function storedCounts(db: Db): Promise<{ tables: number; columns: number }> {
  const tables = await db
    .selectFrom('data_objects')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('connection_key', '=', CONNECTION_KEY)
    .where('kind', '=', 'table')
    .where('remote_status', '=', 'present')
    .executeTakeFirstOrThrow();
  const columns = await db
    .selectFrom('data_columns as c')
    .innerJoin('data_objects as o', 'o.id', 'c.object_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('o.connection_key', '=', CONNECTION_KEY)
    .executeTakeFirstOrThrow();
  return { tables: Number(tables.n), columns: Number(columns.n) };
}

/** The schema changes a job recorded, counted by kind. */
async function changesOf(db: Db, jobId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('schema_changes')
    .select(['change', (eb) => eb.fn.countAll<string>().as('n')])
    .where('job_id', '=', jobId)
    .groupBy('change')
    .orderBy('change')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.change, Number(r.n)]));
}

function pick(output: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, output[k]]));
}

function report(name: string, synced: Synced): void {
  figure(name, synced.seconds, 's');
  note(
    `${name}: request ${synced.requestSeconds.toFixed(2)} s, job itself ${synced.jobSeconds.toFixed(2)} s, ` +
      `output ${JSON.stringify(synced.output)}`,
  );
}

async function measure(t: TestApp, options: CrawlOptions): Promise<void> {
  const name = `crawl.postgres_10k.${options.backend}_store`;
  const db = t.store.db;

  const rss = new RssSampler();
  const first = await timedSync(t, {
    method: 'POST',
    url: '/data/connection',
    payload: { connectionKey: CONNECTION_KEY, connection: options.connection, settings: { isActive: true } },
  });
  const peak = rss.stop();
  expectEqual('tables added by the first sync', first.output['added'], TABLES);
  expectEqual('tables and columns stored by the first sync', await storedCounts(db), {
    tables: TABLES,
    columns: COLUMNS,
  });
  report(`${name}.first`, first);
  figure(`${name}.peak_rss`, megabytes(peak), 'MB');
  figure(`${name}.peak_rss_delta`, megabytes(peak - rss.before), 'MB');

  const crawl: InjectOptions = { method: 'POST', url: `/data/crawl/${CONNECTION_KEY}` };
  const unchanged = await timedSync(t, crawl);
  expectEqual(
    'counts of the re-sync with nothing changed',
    pick(unchanged.output, ['added', 'changed', 'unchanged', 'dropped', 'columnChanges']),
    { added: 0, changed: 0, unchanged: TABLES, dropped: 0, columnChanges: 0 },
  );
  expectEqual('schema changes of the re-sync with nothing changed', await changesOf(db, unchanged.jobId), {});
  report(`${name}.resync_unchanged`, unchanged);

  await changeTables(options.database);
  const changed = await timedSync(t, crawl);
  expectEqual(
    `counts of the re-sync after ${CHANGED_TABLES} tables changed`,
    pick(changed.output, ['added', 'changed', 'unchanged', 'dropped', 'columnChanges']),
    {
      added: 0,
      changed: CHANGED_TABLES,
      unchanged: TABLES - CHANGED_TABLES,
      dropped: 0,
      columnChanges: CHANGED_TABLES,
    },
  );
  expectEqual(`schema changes after ${CHANGED_TABLES} tables changed`, await changesOf(db, changed.jobId), {
    columnAdded: CHANGED_TABLES,
  });
  expectEqual('tables and columns stored after the change', await storedCounts(db), {
    tables: TABLES,
    columns: COLUMNS + CHANGED_TABLES,
  });
  report(`${name}.resync_${CHANGED_TABLES}_changed`, changed);
}

async function main(options: CrawlOptions): Promise<void> {
  const store = await createTestStore(options.backend);
  let t: TestApp | undefined;
  await guarded(
    () => (t ? t.close() : store.close()),
    async () => {
      t = await createTestApp({ store, platforms: new Map([['PostgreSQL', createPostgresPlatform()]]) });
      await measure(t, options);
    },
  );
}

cleanUpOnInterrupt();
try {
  await main(parseCrawlOptions(process.env[CRAWL_OPTIONS_VAR]));
} catch (error) {
  note(`crawl run FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
// Everything opened is closed above; should a handle stay open, do not hang.
exitAfter(5_000);
