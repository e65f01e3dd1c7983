import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type pg from 'pg';
import type { Platform } from '../src/platforms/platform.ts';
import { createPostgresPlatform, type PostgresSession } from '../src/platforms/postgres/index.ts';
import { quoteIdent } from '../src/platforms/postgres/quote.ts';
import { postgresScript } from '../src/platforms/postgres/script.ts';
import { guarded } from './cleanup.ts';
import { withBenchWarehouse } from './policy-warehouse.ts';
import { withTempDir } from './scratch.ts';

/** Which PostgreSQL the RLS benchmark runs on. */
export type EngineKind = 'server' | 'pglite';

/** A row as the `pg` driver or PGlite returns it. */
export type QueryRow = Record<string, unknown>;

/** One query's rows and the time the query alone took (not the role switch around it). */
export interface Timed {
  readonly rows: QueryRow[];
  readonly ms: number;
}

/** A PostgreSQL set up with Steward's script, as the RLS benchmark drives it. */
export interface RlsEngine {
  readonly kind: EngineKind;
  readonly serviceRole: string;
  /** The platform and the connection config that entitlement sync and enforcement use. */
  readonly platform: Platform<PostgresSession>;
  readonly connection: Record<string, unknown>;
  /** Runs SQL as the superuser (several statements allowed; VACUUM must be alone). */
  exec(sql: string): Promise<void>;
  /**
   * Runs one query as `role` (the superuser when undefined); `serial` forbids parallel workers (a
   * session of its own on the server; PGlite never runs parallel workers).
   */
  run(role: string | undefined, sql: string, serial?: boolean): Promise<Timed>;
}

/**
 * Runs `fn` on a new database of the local PostgreSQL server, with `roles` created as login roles;
 * each role queries in its own session, logged in as itself. Everything is dropped afterwards.
 */
export function withServerEngine<T>(
  roles: readonly string[],
  fn: (engine: RlsEngine) => Promise<T>,
): Promise<T> {
  return withBenchWarehouse(roles, async (wh) => {
    const sessions = new Map<string, pg.Client>();
    const sessionOf = async (role: string | undefined, serial: boolean) => {
      const key = `${role ?? ''}${serial ? '|serial' : ''}`;
      let client = sessions.get(key);
      if (!client) {
        client = await wh.connectAs(role);
        if (serial) await client.query('SET max_parallel_workers_per_gather = 0');
        sessions.set(key, client);
      }
      return client;
    };
    return fn({
      kind: 'server',
      serviceRole: wh.serviceRole,
      platform: createPostgresPlatform(),
      connection: wh.connection,
      exec: async (sql) => {
        await wh.exec(sql);
      },
      run: async (role, sql, serial = false) => {
        const client = await sessionOf(role, serial);
        const started = performance.now();
        const result = await client.query<QueryRow>(sql);
        return { rows: result.rows, ms: performance.now() - started };
      },
    });
  });
}

/**
 * Runs `fn` on a PGlite instance kept in a temporary directory, set up with Steward's script and
 * `roles`; a role queries with `SET LOCAL ROLE` in a transaction that is rolled back. The instance is
 * closed and the directory removed afterwards.
 */
export function withPgliteEngine<T>(
  roles: readonly string[],
  fn: (engine: RlsEngine) => Promise<T>,
): Promise<T> {
  return withTempDir(async (dir) => {
    const instance = await PGlite.create(dir);
    return guarded(
      () => instance.close(),
      async () => {
        const serviceRole = 'steward_service';
        await instance.exec(
          postgresScript(
            { host: 'embedded', port: 5432, database: 'postgres', schema: 'steward', username: serviceRole },
            'create',
          ),
        );
        for (const role of roles) await instance.exec(`CREATE ROLE ${quoteIdent(role)} LOGIN`);
        const timed = async (sql: string): Promise<Timed> => {
          const started = performance.now();
          const result = await instance.query<QueryRow>(sql);
          return { rows: result.rows, ms: performance.now() - started };
        };
        return fn({
          kind: 'pglite',
          serviceRole,
          platform: createPostgresPlatform({
            resolveEndpoint: (c) =>
              c.hostname === 'embedded'
                ? (createPgConfig(instance) as unknown as pg.ClientConfig)
                : undefined,
          }),
          connection: {
            technology: 'PostgreSQL',
            hostname: 'embedded',
            port: 5432,
            database: 'postgres',
            authenticationType: 'userPassword',
            username: serviceRole,
            password: 'unused-by-pglite',
          },
          exec: async (sql) => {
            await instance.exec(sql);
          },
          run: async (role, sql) => {
            if (role === undefined) return timed(sql);
            await instance.exec(`BEGIN; SET LOCAL ROLE ${quoteIdent(role)}`);
            try {
              return await timed(sql);
            } finally {
              await instance.exec('ROLLBACK');
            }
          },
        });
      },
    );
  });
}
