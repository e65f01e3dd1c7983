import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate, migrationChecksum } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openStore, type Store } from '../../src/store/open-store.ts';

/** Which metadata store back end the suite runs against: STEWARD_TEST_STORE=embedded (default) or postgres. */
export type Backend = 'embedded' | 'postgres';

/** The back end chosen for this run. */
export const TEST_BACKEND: Backend =
  process.env['STEWARD_TEST_STORE'] === 'postgres' ? 'postgres' : 'embedded';

/** The PostgreSQL server tests create their databases on. */
export const TEST_SERVER_URL =
  process.env['STEWARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const CACHE_DIR = new URL('../.cache/', import.meta.url).pathname;

/** A migrated store made for one test file; `close` drops everything it created. */
export interface TestStore extends Store {
  /** A connection URL (server back end only), for tests that start a server process on the same store. */
  readonly url?: string;
}

async function embeddedTemplate(): Promise<Buffer> {
  const version = MIGRATIONS.map(migrationChecksum).join('-');
  const file = join(CACHE_DIR, `pglite-${version}.tar.gz`);
  if (existsSync(file)) return readFileSync(file);
  mkdirSync(CACHE_DIR, { recursive: true });
  const instance = await PGlite.create('memory://');
  const store = await openStore({ kind: 'embedded', pglite: instance, ownsInstance: false });
  await migrate(store.db);
  await store.db.destroy();
  const dump = Buffer.from(await (await instance.dumpDataDir('gzip')).arrayBuffer());
  await instance.close();
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, dump);
  renameSync(tmp, file);
  return dump;
}

/** Opens a fresh embedded PGlite store, migrated (from a cached template, so it takes about a second). */
export async function createEmbeddedStore(): Promise<TestStore> {
  const template = await embeddedTemplate();
  const instance = await PGlite.create({ loadDataDir: new Blob([template]) });
  return openStore({ kind: 'embedded', pglite: instance, ownsInstance: true });
}

/** Creates a database on the local PostgreSQL server, migrated; `close` drops it. */
export async function createServerStore(options: { migrated?: boolean } = {}): Promise<TestStore> {
  const name = `steward_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(
      `The tests need the PostgreSQL server at ${TEST_SERVER_URL} (set STEWARD_TEST_DATABASE_URL): ${error.message}`,
    );
  });
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  if (options.migrated !== false) await migrate(store.db);
  return {
    ...store,
    url: url.toString(),
    close: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: TEST_SERVER_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Opens a fresh, migrated store on the chosen back end (or the given one). */
export async function createTestStore(backend: Backend = TEST_BACKEND): Promise<TestStore> {
  return backend === 'postgres' ? createServerStore() : createEmbeddedStore();
}
