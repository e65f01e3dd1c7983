import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { guarded } from './cleanup.ts';

/** The PostgreSQL server benchmarks create their databases on (must be on this machine). */
export const BENCH_SERVER_URL =
  process.env['STEWARD_BENCH_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function onServer(statement: string): Promise<void> {
  const host = new URL(BENCH_SERVER_URL).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`Benchmarks only use a local PostgreSQL server, not ${host}.`);
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL, application_name: 'steward-bench' });
  await client.connect().catch((error: Error) => {
    throw new Error(`The PostgreSQL server at ${BENCH_SERVER_URL} is not reachable: ${error.message}`);
  });
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a fresh temporary directory, removed afterwards even when `fn` throws. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  return guarded(
    () => rmSync(dir, { recursive: true, force: true }),
    () => fn(dir),
  );
}

/** Runs `fn` with the URL of a new, empty database on the local server, dropped afterwards even on failure. */
export async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = pg.escapeIdentifier(`steward_bench_${randomBytes(6).toString('hex')}`);
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name.slice(1, -1)}`;
  return guarded(
    () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    () => fn(url.toString()),
  );
}
