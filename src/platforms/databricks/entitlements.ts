import { batches, diffRows, type Row } from '../../entitlements/diff.ts';
import { AppError } from '../../errors/index.ts';
import {
  ENTITLEMENT_COLUMNS,
  ENTITLEMENT_TABLES,
  type EntitlementRows,
  type EntitlementSyncResult,
  type EntitlementTable,
  type EntitlementTableResult,
} from '../platform.ts';
import { quoteIdent as id, quoteLiteral, quoteQualified } from './quote.ts';
import { ENTITLEMENTS_SCHEMA } from './script.ts';
import type { DatabricksSession } from './session.ts';
import { executeStatement, type StatementParameter } from './statements.ts';

/**
 * Rows per MERGE. A batch travels as one JSON string parameter that the statement unpacks with
 * `from_json`, so a statement carries thousands of rows without thousands of parameter markers.
 */
export const ROWS_PER_MERGE = 5000;

/** Rows per page when reading a table, well under the 25 MiB limit of an inline result. */
export const ROWS_PER_READ = 100_000;

/** `c0 > :k0 OR (c0 = :k0 AND (c1 > :k1 OR ...))`: the rows after a key, in column order. */
function after(columns: readonly string[], i = 0): string {
  const c = id(columns[i]!);
  if (i === columns.length - 1) return `${c} > :k${i}`;
  return `${c} > :k${i} OR (${c} = :k${i} AND (${after(columns, i + 1)}))`;
}

/** Reads every row of one table, page by page in key order (keyset pagination). */
async function readRows(
  session: DatabricksSession,
  table: string,
  columns: readonly string[],
  signal?: AbortSignal,
): Promise<Row[]> {
  const list = columns.map(id).join(', ');
  const rows: Row[] = [];
  let last: Row | undefined;
  for (;;) {
    const where = last === undefined ? '' : ` WHERE ${after(columns)}`;
    const parameters = last?.map((value, i): StatementParameter => ({ name: `k${i}`, value }));
    const result = await executeStatement(
      session,
      `SELECT ${list} FROM ${table}${where} ORDER BY ${list} LIMIT ${ROWS_PER_READ}`,
      parameters ? { signal, parameters } : { signal },
    );
    for (const row of result.rows) {
      if (row.some((v) => v === null))
        throw new AppError('PLATFORM_ERROR', `The entitlement table ${table} holds a NULL value.`);
      rows.push(row as Row);
    }
    if (result.rows.length < ROWS_PER_READ) return rows;
    last = rows[rows.length - 1];
  }
}

/** `MERGE INTO` the table from a batch given as the JSON parameter `:rows`, inserting or deleting matches. */
function mergeStatement(table: string, columns: readonly string[], action: 'insert' | 'delete'): string {
  const fields = columns.map((c) => `${id(c)}: STRING`).join(', ');
  const source = `SELECT inline(from_json(:rows, ${quoteLiteral(`ARRAY<STRUCT<${fields}>>`)}))`;
  const on = columns.map((c) => `t.${id(c)} = s.${id(c)}`).join(' AND ');
  const when =
    action === 'delete'
      ? 'WHEN MATCHED THEN DELETE'
      : `WHEN NOT MATCHED THEN INSERT (${columns.map(id).join(', ')}) VALUES (${columns.map((c) => `s.${id(c)}`).join(', ')})`;
  return `MERGE INTO ${table} AS t USING (${source}) AS s ON ${on} ${when}`;
}

async function merge(
  session: DatabricksSession,
  table: string,
  columns: readonly string[],
  action: 'insert' | 'delete',
  rows: readonly Row[],
  signal?: AbortSignal,
): Promise<void> {
  const statement = mergeStatement(table, columns, action);
  for (const batch of batches(rows, ROWS_PER_MERGE)) {
    const json = JSON.stringify(batch.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))));
    await executeStatement(session, statement, { signal, parameters: [{ name: 'rows', value: json }] });
  }
}

/**
 * Makes the entitlement tables of the Steward catalog (`<catalog>.entitlements.*`) hold exactly
 * `rows`: reads each table, then deletes and inserts only the difference with MERGE statements whose
 * rows travel as a statement parameter. Deletions go first, so an interrupted sync errs towards fewer
 * entitlements; Delta has no multi-statement transactions, and the next sync completes the rest.
 */
export async function syncDatabricksEntitlements(
  session: DatabricksSession,
  rows: EntitlementRows,
  signal?: AbortSignal,
): Promise<EntitlementSyncResult> {
  const catalog = session.stewardCatalog;
  if (!catalog) {
    throw new AppError(
      'PLATFORM_ERROR',
      'The connection names no Steward catalog (nativeIntegration.config.catalog) to hold entitlements.',
    );
  }
  const tables: Partial<Record<EntitlementTable, EntitlementTableResult>> = {};
  let inserted = 0;
  let deleted = 0;
  for (const name of ENTITLEMENT_TABLES) {
    const columns = ENTITLEMENT_COLUMNS[name];
    const table = quoteQualified(catalog, ENTITLEMENTS_SCHEMA, name);
    const current = await readRows(session, table, columns, signal);
    const diff = diffRows(current, rows[name]);
    await merge(session, table, columns, 'delete', diff.delete, signal);
    await merge(session, table, columns, 'insert', diff.insert, signal);
    tables[name] = {
      rows: diff.size,
      inserted: diff.insert.length,
      deleted: diff.delete.length,
    };
    inserted += diff.insert.length;
    deleted += diff.delete.length;
  }
  return { inserted, deleted, tables: tables as Record<EntitlementTable, EntitlementTableResult> };
}
