import { sql } from 'kysely';
import type { Db } from '../store/schema.ts';

/** The part of a table's object path a data source name is made of: database (catalog), schema, table. */
function qualifiedName(path: readonly string[]): string {
  return path.slice(1).join('.');
}

/**
 * Names data sources after their object path: `<database>.<schema>.<table>`, prefixed with the
 * connection key (`<connection>.<database>.<schema>.<table>`) when another connection has a data
 * source with the same three names, so every name is unique. One query for the whole batch.
 */
export async function dataSourceNames(
  db: Db,
  rows: ReadonlyArray<{ id: string; path: readonly string[] }>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (rows.length === 0) return names;
  const tables = [...new Set(rows.map((r) => r.path[3] ?? ''))];
  const shared = await sql<{ p: string[] }>`
    SELECT path[2:4] AS p
      FROM data_objects
     WHERE kind = 'table' AND state = 'active' AND name = ANY(${tables}::text[])
     GROUP BY path[2:4]
    HAVING count(DISTINCT connection_key) > 1`.execute(db);
  const ambiguous = new Set(shared.rows.map((r) => JSON.stringify(r.p)));
  for (const row of rows) {
    const clash = ambiguous.has(JSON.stringify(row.path.slice(1)));
    names.set(row.id, clash ? row.path.join('.') : qualifiedName(row.path));
  }
  return names;
}
