import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { resolveServerConfig } from '../src/config.ts';
import {
  BOOTSTRAP_KEY_FILE,
  type RunningServer,
  type ServerOptions,
  startServer,
} from '../src/server/start.ts';
import type { Backend } from './benchmark.ts';
import { guarded } from './cleanup.ts';
import { withScratchDatabase, withTempDir } from './scratch.ts';

/** A real Steward server started for a benchmark, with its bootstrap administrator's API key. */
export interface BenchServer extends RunningServer {
  readonly adminKey: string;
}

/** How to start the benchmark's server: server options plus `STEWARD_*` variables to set. */
export interface BenchServerOptions extends ServerOptions {
  readonly env?: Readonly<Record<string, string>>;
}

async function startAndRun<T>(
  dataDir: string,
  databaseUrl: string,
  options: BenchServerOptions,
  fn: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const { env, ...serverOptions } = options;
  const config = resolveServerConfig(
    { port: '0', host: '127.0.0.1', dataDir },
    { STEWARD_DEMO: 'false', ...process.env, ...env, STEWARD_DATABASE_URL: databaseUrl },
  );
  const server = await startServer(config, {
    announce: () => {},
    logger: pino({ level: 'silent' }),
    ...serverOptions,
  });
  return guarded(
    () => server.close(),
    async () => {
      const adminKey = readFileSync(join(dataDir, BOOTSTRAP_KEY_FILE), 'utf8').trim();
      return fn({ ...server, adminKey });
    },
  );
}

/**
 * Starts a Steward server on 127.0.0.1 with a fresh data directory and, for the `postgres` back end, a
 * fresh database; runs `fn`, then stops the server and removes the directory and database, even on failure.
 */
export async function withBenchServer<T>(
  backend: Backend,
  options: BenchServerOptions,
  fn: (server: BenchServer) => Promise<T>,
): Promise<T> {
  return withTempDir((dataDir) =>
    backend === 'postgres'
      ? withScratchDatabase((url) => startAndRun(dataDir, url, options, fn))
      : startAndRun(dataDir, '', options, fn),
  );
}
