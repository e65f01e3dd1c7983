/**
 * The load generator, run as its own process (`node --import tsx bench/load-client.ts`) so it does not
 * share an event loop with the server it measures. Reads its options from `STEWARD_BENCH_LOAD`, keeps
 * `connections` requests in flight over keep-alive connections, warms up, measures, and prints one
 * JSON `LoadResult` line on stdout.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencySamples, quantile } from './latency.ts';
import { LOAD_OPTIONS_VAR, type LoadOptions, type LoadResult, parseLoadOptions } from './load-protocol.ts';

const REQUEST_TIMEOUT_MS = 10_000;

/** Sends one GET and drains the answer; resolves with its status, or 0 when the request failed. */
function requestOnce(agent: http.Agent, target: URL, headers: http.OutgoingHttpHeaders): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(target, { agent, headers, method: 'GET' }, (res) => {
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
      res.resume();
    });
    req.on('error', () => resolve(0));
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.path, options.url);
  const headers = { authorization: options.apiKey, accept: 'application/json' };
  const from = performance.now() + options.warmupMs;
  const until = from + options.durationMs;
  const samples = new LatencySamples();
  let errors = 0;
  const connection = async () => {
    while (performance.now() < until) {
      const sent = performance.now();
      const status = await requestOnce(agent, target, headers);
      const done = performance.now();
      if (done >= from && done <= until) {
        if (status === 200) samples.add(done - sent);
        else errors++;
      }
      if (status === 0) await sleep(10);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  agent.destroy();
  const sorted = samples.sorted();
  return {
    ok: samples.count,
    errors,
    windowMs: options.durationMs,
    rps: samples.count / (options.durationMs / 1000),
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: quantile(sorted, 1),
  };
}

const options = parseLoadOptions(process.env[LOAD_OPTIONS_VAR]);
setTimeout(
  () => {
    process.stderr.write('load client: did not finish in time\n');
    process.exit(2);
  },
  options.warmupMs + options.durationMs + 2 * REQUEST_TIMEOUT_MS,
).unref();
const result = await runLoad(options);
process.stdout.write(JSON.stringify(result) + '\n');
