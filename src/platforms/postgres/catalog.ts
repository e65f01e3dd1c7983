import type { CatalogColumn, CatalogSchema, CatalogTable, TableKind } from '../platform.ts';
import { type PostgresSession, postgresError } from './session.ts';
import { typeFamily, typeText } from './types.ts';

const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast'];
const KINDS: Record<string, TableKind> = {
  r: 'table',
  p: 'partitionedTable',
  v: 'view',
  m: 'materializedView',
  f: 'foreignTable',
};

/** Tables read per round trip: a crawl holds at most this many tables (with columns) at once. */
export const TABLES_PER_BATCH = 2000;

/** Lists user schemas of the session's database, without system and Steward-owned schemas, in one query. */
export async function listSchemas(session: PostgresSession): Promise<CatalogSchema[]> {
  try {
    const { rows } = await session.client.query<{ name: string; comment: string | null }>(
      `SELECT n.nspname AS name, d.description AS comment
         FROM pg_namespace n
         LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass
        WHERE n.nspname <> ALL($1::text[]) AND n.nspname <> $2
          AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
        ORDER BY n.nspname`,
      [SYSTEM_SCHEMAS, session.stewardSchema],
    );
    return rows;
  } catch (error) {
    throw postgresError(error, session.settings);
  }
}

interface ColumnRow {
  schema: string;
  table: string;
  relkind: string;
  table_comment: string | null;
  attnum: number | null;
  column: string | null;
  typname: string | null;
  typcategory: string | null;
  atttypmod: number | null;
  nullable: boolean | null;
  column_comment: string | null;
}

/**
 * Reads tables, views, materialized views, partitioned and foreign tables of the given schemas with
 * their columns: one join over `pg_catalog` per batch of tables (keyset-paged by schema and name), so
 * 10,000 tables take five round trips and memory holds one batch.
 */
export async function* readTables(
  session: PostgresSession,
  database: string,
  schemas: readonly string[],
  batchSize = TABLES_PER_BATCH,
): AsyncIterable<CatalogTable[]> {
  let after: [string, string] = ['', ''];
  for (;;) {
    let rows: ColumnRow[];
    try {
      ({ rows } = await session.client.query<ColumnRow>(
        `WITH page AS (
           SELECT c.oid, n.nspname, c.relname, c.relkind
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
              AND n.nspname = ANY($1::text[])
              AND (n.nspname::text COLLATE "C", c.relname::text COLLATE "C") > ($2::text COLLATE "C", $3::text COLLATE "C")
            ORDER BY n.nspname::text COLLATE "C", c.relname::text COLLATE "C"
            LIMIT $4)
         SELECT p.nspname AS schema, p.relname AS table, p.relkind, td.description AS table_comment,
                a.attnum, a.attname AS column, t.typname, t.typcategory, a.atttypmod,
                NOT a.attnotnull AS nullable, cd.description AS column_comment
           FROM page p
           LEFT JOIN pg_attribute a ON a.attrelid = p.oid AND a.attnum > 0 AND NOT a.attisdropped
           LEFT JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_description td ON td.objoid = p.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
           LEFT JOIN pg_description cd ON cd.objoid = p.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
          ORDER BY p.nspname::text COLLATE "C", p.relname::text COLLATE "C", a.attnum`,
        [[...schemas], after[0], after[1], batchSize],
      ));
    } catch (error) {
      throw postgresError(error, session.settings);
    }
    if (rows.length === 0) return;
    const tables: CatalogTable[] = [];
    let current: { table: CatalogTable; columns: CatalogColumn[] } | undefined;
    for (const row of rows) {
      if (!current || current.table.schema !== row.schema || current.table.name !== row.table) {
        const columns: CatalogColumn[] = [];
        current = {
          columns,
          table: {
            database,
            schema: row.schema,
            name: row.table,
            kind: KINDS[row.relkind] ?? 'table',
            comment: row.table_comment,
            columns,
          },
        };
        tables.push(current.table);
      }
      if (row.column !== null && row.typname !== null) {
        current.columns.push({
          name: row.column,
          remoteType: typeText(row.typname, row.atttypmod ?? -1),
          dataType: typeFamily(row.typname, row.typcategory ?? ''),
          nullable: row.nullable ?? true,
          position: row.attnum ?? current.columns.length + 1,
          comment: row.column_comment,
        });
      }
    }
    yield tables;
    const last = tables[tables.length - 1]!;
    after = [last.schema, last.name];
    if (tables.length < batchSize) return;
  }
}
