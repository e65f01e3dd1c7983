import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** The metadata store: one Kysely handle over either embedded PGlite or a PostgreSQL server. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly backend: 'embedded' | 'postgres';
  /** Closes the pool (and the embedded database, when the store owns it). */
  close(): Promise<void>;
}

/** Where the store lives: a PostgreSQL URL, or an embedded database in a directory (or `memory://`). */
export type StoreLocation =
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number }
  | { readonly kind: 'embedded'; readonly dir: string }
  | { readonly kind: 'embedded'; readonly pglite: PGlite; readonly ownsInstance: boolean };

/** Opens the metadata store at a location; both back ends speak through the same `pg` driver. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: location.poolSize ?? 10,
      application_name: 'steward',
    });
    // An idle client losing its server connection must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, backend: 'postgres', close: () => db.destroy() };
  }
  const owns = 'dir' in location ? true : location.ownsInstance;
  const instance = 'dir' in location ? await PGlite.create(location.dir) : location.pglite;
  const pool = new pg.Pool(createPgConfig(instance) as unknown as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: 'embedded',
    close: async () => {
      await db.destroy();
      if (owns) await instance.close();
    },
  };
}
