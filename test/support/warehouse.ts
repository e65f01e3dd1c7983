import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { createPostgresPlatform, type EndpointResolver } from '../../src/platforms/postgres/index.ts';
import { viewsRoleName } from '../../src/platforms/postgres/names.ts';
import { postgresScript } from '../../src/platforms/postgres/script.ts';
import { TEST_SERVER_URL } from './store.ts';

/** A governed PostgreSQL database made for a test, set up with Steward's script; `drop` removes it all. */
export interface TestWarehouse {
  readonly kind: 'server' | 'embedded';
  /** The `connection` object of a connection payload for it. */
  readonly connection: Record<string, unknown>;
  readonly database: string;
  readonly role: string;
  /** Runs SQL as a superuser in the warehouse. */
  exec(sql: string): Promise<void>;
  /** The embedded instance (undefined for a server warehouse). */
  readonly pglite?: PGlite;
  /** Resolves the embedded warehouse for the PostgreSQL platform (undefined for a server warehouse). */
  readonly resolveEndpoint?: EndpointResolver;
  drop(): Promise<void>;
}

/** Creates a database on the local PostgreSQL server, runs the setup script in it as a superuser. */
export async function createServerWarehouse(schema = 'steward'): Promise<TestWarehouse> {
  const suffix = randomBytes(4).toString('hex');
  const database = `steward_wh_${process.pid}_${suffix}`;
  const role = `steward_svc_${suffix}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(
    postgresScript(
      { host: url.hostname, port: Number(url.port || 5432), database, schema, username: role },
      'create',
    ),
  );
  await client.query(`ALTER ROLE ${pg.escapeIdentifier(role)} PASSWORD 'test-password'`);
  return {
    kind: 'server',
    database,
    role,
    connection: {
      technology: 'PostgreSQL',
      hostname: url.hostname,
      port: Number(url.port || 5432),
      database,
      authenticationType: 'userPassword',
      username: role,
      password: 'test-password',
    },
    exec: async (sql) => {
      await client.query(sql);
    },
    drop: async () => {
      await client.end();
      const cleanup = new pg.Client({ connectionString: TEST_SERVER_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
      await cleanup.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(viewsRoleName(role))}`);
      await cleanup.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
      await cleanup.end();
    },
  };
}

/** Creates an embedded PGlite warehouse, set up with the script; reached through an endpoint resolver. */
export async function createEmbeddedWarehouse(schema = 'steward'): Promise<TestWarehouse> {
  const instance = await PGlite.create('memory://');
  const role = 'steward_service';
  await instance.exec(
    postgresScript({ host: 'embedded', port: 5432, database: 'postgres', schema, username: role }, 'create'),
  );
  const resolveEndpoint: EndpointResolver = (c) =>
    c.hostname === 'embedded' ? (createPgConfig(instance) as unknown as pg.ClientConfig) : undefined;
  return {
    kind: 'embedded',
    database: 'postgres',
    role,
    connection: {
      technology: 'PostgreSQL',
      hostname: 'embedded',
      port: 5432,
      database: 'postgres',
      authenticationType: 'userPassword',
      username: role,
      password: 'unused-by-pglite',
    },
    resolveEndpoint,
    pglite: instance,
    exec: async (sql) => {
      await instance.exec(sql);
    },
    drop: () => instance.close(),
  };
}

/** Builds the platform registry a test app needs to reach a warehouse. */
export function platformsFor(warehouse: TestWarehouse) {
  return new Map([['PostgreSQL', createPostgresPlatform({ resolveEndpoint: warehouse.resolveEndpoint })]]);
}
