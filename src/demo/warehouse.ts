import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Platform } from '../platforms/platform.ts';
import { loadDemoData } from './load.ts';

/** The host name under which the demo warehouse is registered; it is reached in-process, not over a network. */
export const DEMO_HOST = 'embedded-demo';
/** The demo warehouse's database, connection key and Steward service role. */
export const DEMO_DATABASE = 'demo';
export const DEMO_CONNECTION_KEY = 'demo';
const DEMO_ROLE = 'steward_service';

/** The embedded demo warehouse: a real PostgreSQL (PGlite) with synthetic customers, orders, payments and staff. */
export interface DemoWarehouse {
  readonly pglite: PGlite;
  /** True when this start created it (and so should register it). */
  readonly created: boolean;
  /** The `connection` object that registers it. */
  readonly connection: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * Opens the demo warehouse in `dir`, creating it on first use: a `demo` database loaded with
 * deterministic synthetic data (tables owned by `demo_owner`, a database role per demo person) and
 * set up with the PostgreSQL platform's own setup script.
 */
export async function openDemoWarehouse(dir: string, postgres: Platform): Promise<DemoWarehouse> {
  const created = !existsSync(join(dir, 'PG_VERSION'));
  if (created) {
    const bootstrap = await PGlite.create(dir);
    await bootstrap.exec(`CREATE DATABASE ${DEMO_DATABASE}`);
    await bootstrap.close();
  }
  const pglite = await PGlite.create(dir, { database: DEMO_DATABASE });
  if (created) {
    // Data first: the setup script makes the service role a member of the tables' owner (demo_owner),
    // which enforcing policies on them needs.
    await loadDemoData(pglite);
    const script = postgres.integrationScript(
      { host: DEMO_HOST, port: 5432, database: DEMO_DATABASE, schema: 'steward', username: DEMO_ROLE },
      'create',
    );
    await pglite.exec(script);
  }
  return {
    pglite,
    created,
    connection: {
      technology: 'PostgreSQL',
      hostname: DEMO_HOST,
      port: 5432,
      database: DEMO_DATABASE,
      authenticationType: 'userPassword',
      username: DEMO_ROLE,
      // The embedded warehouse is reached in-process and checks no password; this value is stored encrypted like any other.
      password: 'embedded-demo',
    },
    close: () => pglite.close(),
  };
}
