import { batches, columnsOf, diffRows } from '../../entitlements/diff.ts';
import {
  ENTITLEMENT_COLUMNS,
  ENTITLEMENT_TABLES,
  type EntitlementRows,
  type EntitlementSyncResult,
  type EntitlementTable,
  type EntitlementTableResult,
} from '../platform.ts';
import { quoteIdent, quoteQualified } from './quote.ts';
import { type PostgresSession, postgresError } from './session.ts';

/** Rows written per statement: each column travels as one text[] parameter. */
export const ROWS_PER_STATEMENT = 20_000;

/**
 * Makes the entitlement tables of the Steward schema hold exactly `rows`, in one transaction: takes
 * a transaction-level advisory lock so concurrent pushes serialize, reads each table, and deletes and
 * inserts only the difference through `unnest` of array parameters. No DDL, no value in the SQL text.
 * Everything or nothing is applied.
 */
export async function syncPostgresEntitlements(
  session: PostgresSession,
  rows: EntitlementRows,
  signal?: AbortSignal,
): Promise<EntitlementSyncResult> {
  const { client } = session;
  const qualified = (name: EntitlementTable) => quoteQualified(session.stewardSchema, name);
  const tables: Partial<Record<EntitlementTable, EntitlementTableResult>> = {};
  let inserted = 0;
  let deleted = 0;
  try {
    await client.query('BEGIN');
    // Pushes to one schema apply one after the other. An advisory lock rather than a table lock, so
    // neither readers (queries under policies) nor autovacuum ever wait on a push.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `steward.entitlements:${session.stewardSchema}`,
    ]);
    for (const name of ENTITLEMENT_TABLES) {
      signal?.throwIfAborted();
      const columns = ENTITLEMENT_COLUMNS[name];
      const list = columns.map(quoteIdent).join(', ');
      const arrays = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
      const current = await client.query<string[]>({
        text: `SELECT ${list} FROM ${qualified(name)}`,
        rowMode: 'array',
      });
      const diff = diffRows(current.rows, rows[name]);
      let removed = 0;
      for (const batch of batches(diff.delete, ROWS_PER_STATEMENT)) {
        const result = await client.query(
          `DELETE FROM ${qualified(name)} WHERE (${list}) IN (SELECT * FROM unnest(${arrays}))`,
          columnsOf(batch, columns.length),
        );
        removed += result.rowCount ?? 0;
      }
      let added = 0;
      for (const batch of batches(diff.insert, ROWS_PER_STATEMENT)) {
        const result = await client.query(
          `INSERT INTO ${qualified(name)} (${list}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`,
          columnsOf(batch, columns.length),
        );
        added += result.rowCount ?? 0;
      }
      tables[name] = { rows: current.rows.length - removed + added, inserted: added, deleted: removed };
      inserted += added;
      deleted += removed;
    }
    signal?.throwIfAborted();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (signal?.aborted) throw signal.reason;
    throw postgresError(error, session.settings);
  }
  return { inserted, deleted, tables: tables as Record<EntitlementTable, EntitlementTableResult> };
}
