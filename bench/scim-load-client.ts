/**
 * The SCIM create load generator, run as its own process (`node --import tsx bench/scim-load-client.ts`)
 * so it does not share an event loop with the server it measures. Reads its options from
 * `STEWARD_BENCH_SCIM`, keeps `connections` `POST /scim/v2/Users` requests in flight over keep-alive
 * connections, each creating a new user (Okta's request shape), and prints one JSON `LoadResult` line.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencySamples, quantile } from './latency.ts';
import { type LoadResult, parseLoadOptions } from './load-protocol.ts';

/** The environment variable that carries the load options to this process (set by bench/scim.ts). */
const SCIM_LOAD_OPTIONS_VAR = 'STEWARD_BENCH_SCIM';

const REQUEST_TIMEOUT_MS = 10_000;

function userBody(n: number): string {
  const login = `bench.user.${process.pid}.${n}@example.com`;
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: login,
    name: { givenName: 'Bench', familyName: `User ${n}` },
    emails: [{ primary: true, value: login, type: 'work' }],
    displayName: `Bench User ${n}`,
    locale: 'en-US',
    externalId: `00u${n}`,
    groups: [],
    active: true,
  });
}

/** Sends one POST and drains the answer; resolves with its status, or 0 when the request failed. */
function post(agent: http.Agent, target: URL, apiKey: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      target,
      {
        agent,
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/scim+json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
        res.resume();
      },
    );
    req.on('error', () => resolve(0));
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const options = parseLoadOptions(process.env[SCIM_LOAD_OPTIONS_VAR]);
setTimeout(
  () => {
    process.stderr.write('SCIM load client: did not finish in time\n');
    process.exit(2);
  },
  options.warmupMs + options.durationMs + 2 * REQUEST_TIMEOUT_MS,
).unref();

const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
const target = new URL(options.path, options.url);
const from = performance.now() + options.warmupMs;
const until = from + options.durationMs;
const samples = new LatencySamples();
let errors = 0;
let next = 0;
const connection = async () => {
  while (performance.now() < until) {
    const sent = performance.now();
    const status = await post(agent, target, options.apiKey, userBody(next++));
    const done = performance.now();
    if (done >= from && done <= until) {
      if (status === 201) samples.add(done - sent);
      else errors++;
    }
    if (status === 0) await sleep(10);
  }
};
await Promise.all(Array.from({ length: options.connections }, connection));
agent.destroy();
const sorted = samples.sorted();
const result: LoadResult = {
  ok: samples.count,
  errors,
  windowMs: options.durationMs,
  rps: samples.count / (options.durationMs / 1000),
  p50Ms: quantile(sorted, 0.5),
  p99Ms: quantile(sorted, 0.99),
  maxMs: quantile(sorted, 1),
};
process.stdout.write(JSON.stringify(result) + '\n');
