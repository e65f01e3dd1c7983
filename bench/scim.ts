import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { withBenchServer } from './bench-server.ts';
import { BACKENDS, type Backend, type Benchmark } from './benchmark.ts';
import { guarded } from './cleanup.ts';
import type { LoadOptions, LoadResult } from './load-protocol.ts';
import { figure, note } from './report.ts';

const CLIENT = fileURLToPath(new URL('./scim-load-client.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 16;
const WARMUP_MS = 2_000;
const DURATION_MS = 10_000;

/** Runs the SCIM load client in its own process and resolves with its result line. */
function runScimLoad(options: LoadOptions): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENT], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    // Read by the client as its options (SCIM_LOAD_OPTIONS_VAR there).
    env: { ...process.env, STEWARD_BENCH_SCIM: JSON.stringify(options) },
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return guarded(
    stop,
    () =>
      new Promise<LoadResult>((resolve, reject) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), options.warmupMs + options.durationMs + 60_000);
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
        });
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code !== 0)
            return reject(new Error(`The SCIM load client exited with ${signal ?? `status ${code}`}.`));
          try {
            resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadResult);
          } catch {
            reject(new Error(`The SCIM load client printed no result: ${JSON.stringify(out.slice(0, 200))}`));
          }
        });
      }),
  );
}

async function measure(backend: Backend): Promise<void> {
  await withBenchServer(backend, {}, async (server) => {
    const name = `scim.users_create.${backend}`;
    note(
      `${name}: POST /scim/v2/Users (Okta's create shape), ${CONNECTIONS} connections, ` +
        `${WARMUP_MS / 1000} s warm-up, ${DURATION_MS / 1000} s measured, each request a new user`,
    );
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const result = await runScimLoad({
      url: server.url,
      path: '/scim/v2/Users',
      apiKey: server.adminKey,
      connections: CONNECTIONS,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const busy = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    if (result.ok === 0) throw new Error(`No SCIM create succeeded (${result.errors} errors).`);
    figure(`${name}.rps`, result.rps, 'req/s');
    figure(`${name}.p50`, result.p50Ms, 'ms');
    figure(`${name}.p99`, result.p99Ms, 'ms');
    figure(`${name}.errors`, result.errors, 'count');
    note(
      `${name}: ${result.ok} users created in the window, slowest ${result.maxMs.toFixed(1)} ms; ` +
        `server process used ${(busy * 100).toFixed(0)}% of one CPU`,
    );
  });
}

/**
 * SCIM user creates per second (`POST /scim/v2/Users` over loopback from a separate load process, each
 * request a new user, audited in its transaction) against each store back end.
 */
export function scimBenchmarks(): Benchmark[] {
  return BACKENDS.map((backend) => ({ name: `scim.users_create.${backend}`, run: () => measure(backend) }));
}
