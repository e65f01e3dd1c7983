import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import type { Database } from './schema.ts';

/** The advisory lock key that serialises migrations across processes ("steward" in ASCII). */
const MIGRATION_LOCK_KEY = 0x73746577617264n;

/** Returns the checksum recorded for a migration, so an edited migration is detected. */
export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex').slice(0, 16);
}

/** What a migration run did. */
export interface MigrationResult {
  readonly applied: readonly number[];
  readonly version: number;
}

/**
 * Applies pending migrations in one transaction under a PostgreSQL advisory lock, so processes
 * starting at once apply each migration exactly once. Refuses a store migrated by a newer Steward or
 * whose applied migrations differ from this code's.
 */
export async function migrate(
  db: Kysely<Database>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS steward_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(trx);
    const rows = await trx.selectFrom('steward_migrations').selectAll().orderBy('version').execute();
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of rows) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new Error(
          `The metadata store has migration ${row.version} (${row.name}), which this Steward does not know: ` +
            'it was migrated by a newer version. Upgrade Steward.',
        );
      }
      if (migrationChecksum(migration) !== row.checksum) {
        throw new Error(
          `Migration ${row.version} (${row.name}) differs from the one applied to the metadata store.`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('steward_migrations')
        .values({ version: migration.version, name: migration.name, checksum: migrationChecksum(migration) })
        .execute();
      applied.push(migration.version);
    }
    const version = Math.max(0, ...migrations.map((m) => m.version));
    return { applied, version };
  });
}

/** Returns true when every migration this code knows has been applied. */
export async function isMigrated(
  db: Kysely<Database>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<boolean> {
  const exists = await sql<{
    present: boolean;
  }>`SELECT to_regclass('steward_migrations') IS NOT NULL AS present`
    .execute(db)
    .then((r) => r.rows[0]?.present === true);
  if (!exists) return false;
  const rows = await db.selectFrom('steward_migrations').select('version').execute();
  const applied = new Set(rows.map((r) => r.version));
  return migrations.every((m) => applied.has(m.version));
}
