import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../../src/store/schema.ts';

/** Every metadata table that could by mistake hold a credential. */
export const ALL_TABLES = [
  'users',
  'api_keys',
  'audit_events',
  'jobs',
  'job_items',
  'steward_settings',
  'connections',
  'integrations',
  'integration_scripts',
  'data_objects',
] as const;

/** Asserts that no row of the given tables contains `secret` anywhere, in plaintext. */
export async function assertNotStored(
  db: Db,
  secret: string,
  tables: readonly string[] = ALL_TABLES,
): Promise<void> {
  for (const table of tables) {
    const dump = await sql<{
      row: string;
    }>`SELECT row_to_json(x)::text AS row FROM ${sql.table(table)} x`.execute(db);
    assert.ok(!dump.rows.some((r) => r.row.includes(secret)), `${table} holds the secret in plaintext`);
  }
}
