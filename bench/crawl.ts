import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createPostgresPlatform } from '../src/platforms/postgres/index.ts';
import type { TestWarehouse } from '../test/support/warehouse.ts';
import { BACKENDS, type Benchmark } from './benchmark.ts';
import { guarded, isInterrupted } from './cleanup.ts';
import { CRAWL_OPTIONS_VAR, type CrawlOptions } from './crawl-protocol.ts';
import { COLUMNS, restoreTables, TABLES, withCrawlWarehouse } from './crawl-warehouse.ts';
import { quantile } from './latency.ts';
import { figure, note } from './report.ts';

const RUN = fileURLToPath(new URL('./crawl-sync.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CATALOG_READS = 3;
const RUN_TIMEOUT_MS = 20 * 60_000;
/** When set to a directory, each crawl run writes a V8 CPU profile there (`--cpu-prof`). */
const CPU_PROFILE_VAR = 'STEWARD_BENCH_CPU_PROF';

/** Times `readTables` of the PostgreSQL platform over every schema, alone, and checks what it returned. */
async function measureCatalogRead(warehouse: TestWarehouse): Promise<void> {
  const platform = createPostgresPlatform();
  const config = { connectionKey: 'bench', connection: warehouse.connection, nativeIntegration: undefined };
  const session = await platform.connect(config);
  await guarded(
    () => session.close(),
    async () => {
      const schemas = (await platform.listSchemas(session, warehouse.database)).map((s) => s.name);
      const seconds = new Float64Array(CATALOG_READS);
      for (let i = 0; i < CATALOG_READS; i++) {
        let tables = 0;
        let columns = 0;
        const started = performance.now();
        for await (const batch of platform.readTables(session, warehouse.database, schemas)) {
          tables += batch.length;
          for (const table of batch) columns += table.columns.length;
        }
        seconds[i] = (performance.now() - started) / 1000;
        if (tables !== TABLES || columns !== COLUMNS) {
          throw new Error(`The catalog read returned ${tables} tables and ${columns} columns.`);
        }
      }
      const runs = [...seconds].map((s) => s.toFixed(2)).join(', ');
      figure('crawl.postgres_10k.catalog_read', quantile(seconds.slice().sort(), 0.5), 's');
      note(
        `crawl.postgres_10k.catalog_read: median of ${CATALOG_READS} reads (${runs} s) of ${schemas.length} schemas`,
      );
    },
  );
}

/** Runs `bench/crawl-sync.ts` in its own process, its figures going straight to stdout; fails when it does. */
function runCrawl(options: CrawlOptions): Promise<void> {
  const profileDir = process.env[CPU_PROFILE_VAR];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', RUN], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, [CRAWL_OPTIONS_VAR]: JSON.stringify(options) },
  });
  const stopChild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return guarded(
    stopChild,
    () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(stopChild, RUN_TIMEOUT_MS);
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else
            reject(
              new Error(`The ${options.backend} store crawl run exited with ${signal ?? `status ${code}`}.`),
            );
        });
      }),
  );
}

async function measure(): Promise<void> {
  await withCrawlWarehouse(async (warehouse) => {
    await measureCatalogRead(warehouse);
    const failures: string[] = [];
    for (const backend of BACKENDS) {
      if (isInterrupted()) break;
      const options = { backend, connection: warehouse.connection, database: warehouse.database };
      // A failed run does not skip the other back end; the benchmark fails at the end.
      await guarded(
        () => restoreTables(warehouse.database),
        () => runCrawl(options),
      ).catch((error: Error) => failures.push(error.message));
    }
    if (failures.length > 0) throw new Error(failures.join(' '));
  });
}

/**
 * Object sync of a 10,000-table, 100,000-column PostgreSQL warehouse into each metadata store back end:
 * the first crawl, a re-sync with nothing changed, a re-sync after 100 tables changed, peak memory, and
 * the catalog read alone.
 */
export function crawlBenchmarks(): Benchmark[] {
  return [{ name: 'crawl.postgres_10k', run: measure }];
}
