import type { CatalogColumn, CatalogSchema, CatalogTable, TableKind } from '../platform.ts';
import { mirrorSchemaComment } from './observe.ts';
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

/**
 * Lists user schemas of the session's database, without system and Steward-owned schemas (its own
 * schema and the mirror schemas of masking views), in one query.
 */
export async function listSchemas(session: PostgresSession): Promise<CatalogSchema[]> {
  try {
    const { rows } = await session.client.query<{ name: string; comment: string | null }>(
      `SELECT n.nspname AS name, d.description AS comment
         FROM pg_namespace n
         LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass
        WHERE n.nspname <> ALL($1::text[]) AND n.nspname <> $2
          AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
          AND d.description IS DISTINCT FROM $3
        ORDER BY n.nspname`,
      [SYSTEM_SCHEMAS, session.stewardSchema, mirrorSchemaComment(session.stewardSchema)],
    );
    return rows;
  } catch (error) {
    throw postgresError(error, session.settings);
  }
}

/** Catalog rows fetched per round trip from the crawl cursor. */
const ROWS_PER_FETCH = 20_000;

type ColumnRow = [
  schema: string,
  table: string,
  relkind: string,
  tableComment: string | null,
  attnum: number | null,
  column: string | null,
  typname: string | null,
  typcategory: string | null,
  atttypmod: number | null,
  nullable: boolean | null,
  columnComment: string | null,
];

const CATALOG_QUERY = `
  SELECT n.nspname, c.relname, c.relkind, td.description,
         a.attnum, a.attname, t.typname, t.typcategory, a.atttypmod, NOT a.attnotnull, cd.description
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_description td ON td.objoid = c.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
    LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition AND n.nspname = ANY($1::text[])
   ORDER BY c.oid, a.attnum`;

function startTable(database: string, row: ColumnRow): CatalogTable & { columns: CatalogColumn[] } {
  return {
    database,
    schema: row[0],
    name: row[1],
    kind: KINDS[row[2]] ?? 'table',
    comment: row[3],
    columns: [],
  };
}

function addColumn(table: { columns: CatalogColumn[] }, row: ColumnRow): void {
  const [, , , , attnum, column, typname, typcategory, atttypmod, nullable, comment] = row;
  if (column === null || typname === null) return;
  table.columns.push({
    name: column,
    remoteType: typeText(typname, atttypmod ?? -1),
    dataType: typeFamily(typname, typcategory ?? ''),
    nullable: nullable ?? true,
    position: attnum ?? table.columns.length + 1,
    comment,
  });
}

/**
 * Reads tables, views, materialized views, partitioned and foreign tables of the given schemas with
 * their columns: one join over `pg_catalog`, read through a cursor in a read-only snapshot, so the
 * catalog is scanned once whatever its size and memory holds one fetch (tables arrive in batches of
 * about `batchSize`).
 */
export async function* readTables(
  session: PostgresSession,
  database: string,
  schemas: readonly string[],
  batchSize = TABLES_PER_BATCH,
): AsyncIterable<CatalogTable[]> {
  const client = session.client;
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw postgresError(error, session.settings);
    }
  };
  await run(() => client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'));
  let open = true;
  try {
    await run(() => client.query("SET LOCAL work_mem = '64MB'"));
    await run(() => client.query('SET LOCAL jit = off').catch(() => undefined));
    await run(() =>
      client.query({
        text: `DECLARE steward_crawl NO SCROLL CURSOR FOR ${CATALOG_QUERY}`,
        values: [[...schemas]],
      }),
    );
    let current: (CatalogTable & { columns: CatalogColumn[] }) | undefined;
    let currentKey = '';
    let ready: CatalogTable[] = [];
    for (;;) {
      const { rows } = await run(() =>
        client.query<ColumnRow>({ text: `FETCH ${ROWS_PER_FETCH} FROM steward_crawl`, rowMode: 'array' }),
      );
      for (const row of rows) {
        const key = `${row[0]}\u0000${row[1]}`;
        if (!current || key !== currentKey) {
          if (current) ready.push(current);
          current = startTable(database, row);
          currentKey = key;
        }
        addColumn(current, row);
      }
      const last = rows.length < ROWS_PER_FETCH;
      if (last && current) {
        ready.push(current);
        current = undefined;
      }
      if (ready.length >= batchSize || (last && ready.length > 0)) {
        yield ready;
        ready = [];
      }
      if (last) break;
    }
    await run(() => client.query('COMMIT'));
    open = false;
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => {});
  }
}
