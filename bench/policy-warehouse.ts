import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { viewsRoleName } from '../src/platforms/postgres/names.ts';
import { quoteIdent } from '../src/platforms/postgres/quote.ts';
import { postgresScript } from '../src/platforms/postgres/script.ts';
import { guarded } from './cleanup.ts';
import { BENCH_SERVER_URL } from './scratch.ts';

/** A governed database on the local PostgreSQL server, set up with Steward's script, made for one benchmark. */
export interface BenchWarehouse {
  readonly database: string;
  /** Steward's service role in it. */
  readonly serviceRole: string;
  /** The `connection` object of a connection payload (or `platform.connect`) for it. */
  readonly connection: Record<string, unknown>;
  /** Runs SQL as the superuser, in one session kept for the warehouse's life. */
  exec(sql: string): Promise<pg.QueryResult>;
  /** Opens a session logged in as `role` (trust authentication; the superuser when undefined), closed with the warehouse. */
  connectAs(role?: string): Promise<pg.Client>;
}

function urlOf(database: string, role?: string): string {
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${database}`;
  if (role !== undefined) {
    url.username = role;
    url.password = '';
  }
  return url.toString();
}

async function open(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: 'steward-bench' });
  // A session the cleanup terminates (DROP DATABASE ... WITH (FORCE)) must not crash the run.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/**
 * Runs `fn` with a new database on the local server set up by Steward's setup script, plus the
 * cluster-wide login roles `roles` (names made unique by the caller). Afterwards, even on failure or
 * Ctrl-C, closes every session, drops the database and drops the roles and the service role.
 * `jit = off` is set on the database (as in performance.md §0), so timings do not include JIT compilation.
 */
export async function withBenchWarehouse<T>(
  roles: readonly string[],
  fn: (warehouse: BenchWarehouse) => Promise<T>,
): Promise<T> {
  const suffix = randomBytes(4).toString('hex');
  const database = `steward_bench_wh_${suffix}`;
  const serviceRole = `steward_svc_${suffix}`;
  const sessions: pg.Client[] = [];
  const cleanup = async () => {
    await Promise.all(sessions.splice(0).map((s) => s.end().catch(() => {})));
    const admin = await open(BENCH_SERVER_URL);
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(viewsRoleName(serviceRole))}`);
      for (const role of [...roles, serviceRole])
        await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
    } finally {
      await admin.end();
    }
  };
  return guarded(cleanup, async () => {
    const admin = await open(BENCH_SERVER_URL);
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
      await admin.query(`ALTER DATABASE ${quoteIdent(database)} SET jit = off`);
      for (const role of roles) await admin.query(`CREATE ROLE ${quoteIdent(role)} LOGIN`);
    } finally {
      await admin.end();
    }
    const url = new URL(BENCH_SERVER_URL);
    const superuser = await open(urlOf(database));
    sessions.push(superuser);
    const port = Number(url.port || 5432);
    await superuser.query(
      postgresScript(
        { host: url.hostname, port, database, schema: 'steward', username: serviceRole },
        'create',
      ),
    );
    // Trust authentication ignores it; the connection payload needs one.
    await superuser.query(`ALTER ROLE ${quoteIdent(serviceRole)} PASSWORD 'bench-password'`);
    return fn({
      database,
      serviceRole,
      connection: {
        technology: 'PostgreSQL',
        hostname: url.hostname,
        port,
        database,
        authenticationType: 'userPassword',
        username: serviceRole,
        password: 'bench-password',
      },
      exec: (sql) => superuser.query(sql),
      connectAs: async (role) => {
        const client = await open(urlOf(database, role));
        sessions.push(client);
        return client;
      },
    });
  });
}
