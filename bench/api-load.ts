import { performance } from 'node:perf_hooks';
import { enqueueJobs, type NewJob } from '../src/jobs/queue.ts';
import { withBenchServer } from './bench-server.ts';
import { BACKENDS, type Backend, type Benchmark } from './benchmark.ts';
import { figure, note } from './report.ts';
import { runLoadClient } from './spawn-load-client.ts';

const CONNECTIONS = 16;
const WARMUP_MS = 2_000;
const DURATION_MS = 10_000;
/** Queued jobs of types no worker runs, so the summary groups real rows and they stay put. */
const SEEDED_JOBS = 1_000;

function seedJobs(): NewJob[] {
  return Array.from({ length: SEEDED_JOBS }, (_, i) => ({ type: `bench.idle.${i % 4}` }));
}

async function measure(backend: Backend): Promise<void> {
  await withBenchServer(backend, {}, async (server) => {
    await enqueueJobs(server.deps.store.db, seedJobs());
    note(
      `api.jobs_summary.${backend}: ${CONNECTIONS} connections, ${WARMUP_MS / 1000} s warm-up, ` +
        `${DURATION_MS / 1000} s measured, ${SEEDED_JOBS} jobs in the store`,
    );
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const result = await runLoadClient({
      url: server.url,
      path: '/jobs/summary',
      apiKey: server.adminKey,
      connections: CONNECTIONS,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const busy = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    if (result.ok === 0) throw new Error(`No request succeeded (${result.errors} errors).`);
    const name = `api.jobs_summary.${backend}`;
    figure(`${name}.rps`, result.rps, 'req/s');
    figure(`${name}.p50`, result.p50Ms, 'ms');
    figure(`${name}.p99`, result.p99Ms, 'ms');
    figure(`${name}.errors`, result.errors, 'count');
    note(
      `${name}: ${result.ok} answers, slowest ${result.maxMs.toFixed(1)} ms; ` +
        `server process used ${(busy * 100).toFixed(0)}% of one CPU`,
    );
  });
}

/**
 * Requests per second, median and 99th percentile latency, and errors of an authenticated
 * `GET /jobs/summary`, driven by a separate load process, against each store back end.
 */
export function apiLoadBenchmarks(): Benchmark[] {
  return BACKENDS.map((backend) => ({ name: `api.jobs_summary.${backend}`, run: () => measure(backend) }));
}
