import { type Selectable, sql } from 'kysely';
import type { Db, FrameworkEntry, SddFrameworksTable, SddIdentifiersTable } from '../store/schema.ts';
import { BUILTIN_IDENTIFIERS } from './builtin-identifiers.ts';
import { type Identifier, identifier } from './identifier.ts';

/** A framework row as read from the store. */
export type FrameworkRow = Selectable<SddFrameworksTable>;

/** An identifier row as read from the store. */
export type IdentifierRow = Selectable<SddIdentifiersTable>;

/** Built-in identifiers by id. */
export const BUILTIN_BY_ID: ReadonlyMap<string, Identifier> = new Map(
  BUILTIN_IDENTIFIERS.map((i) => [i.id, i]),
);

/**
 * Turns a stored user-defined identifier into the model: `regex` tests values, `columnNameRegex` column
 * names, `dictionary` a list of values; matching is case-insensitive unless `case_sensitive`.
 */
export function identifierFromRow(row: IdentifierRow): Identifier {
  const kind =
    row.type === 'regex' ? 'valueRegex' : row.type === 'columnNameRegex' ? 'columnName' : 'dictionary';
  return identifier({
    id: row.name,
    name: row.display_name,
    description: row.description,
    kind,
    pattern: row.pattern ?? '',
    caseInsensitive: !row.case_sensitive,
    tags: row.tags,
    specificity: row.specificity,
    dataTypes: row.data_types,
    ...(row.dictionary ? { values: row.dictionary } : {}),
  });
}

/** A framework with its identifiers resolved, each carrying the tags the framework applies for it. */
export interface ResolvedFramework {
  readonly id: number;
  readonly name: string;
  readonly identifiers: readonly Identifier[];
  /** Entries naming identifiers that no longer exist (skipped). */
  readonly missing: readonly string[];
}

/**
 * Resolves a framework's identifiers: the built-in framework holds every built-in identifier; others
 * list entries by name (built-in or user-defined), each with the tags copied when it was added, which
 * replace the identifier's own (so editing an identifier's tags affects only frameworks it joins later).
 */
export async function resolveFramework(db: Db, framework: FrameworkRow): Promise<ResolvedFramework> {
  if (framework.built_in) {
    return { id: framework.id, name: framework.name, identifiers: BUILTIN_IDENTIFIERS, missing: [] };
  }
  const entries: readonly FrameworkEntry[] = framework.identifiers;
  const custom = entries.filter((e) => !BUILTIN_BY_ID.has(e.name)).map((e) => e.name);
  const rows =
    custom.length === 0
      ? []
      : await db.selectFrom('sdd_identifiers').selectAll().where('name', 'in', custom).execute();
  const byName = new Map(rows.map((r) => [r.name, identifierFromRow(r)]));
  const identifiers: Identifier[] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    const found = BUILTIN_BY_ID.get(entry.name) ?? byName.get(entry.name);
    if (!found) missing.push(entry.name);
    else identifiers.push(entry.tags ? identifier({ ...found, tags: entry.tags }) : found);
  }
  return { id: framework.id, name: framework.name, identifiers, missing };
}

/**
 * Returns the framework that applies to each data source: the one assigned to it, else its domain's,
 * else the global one; data sources with none are absent.
 */
export async function frameworksOf(
  db: Db,
  dataSourceIds: readonly string[],
): Promise<Map<string, FrameworkRow>> {
  const out = new Map<string, FrameworkRow>();
  if (dataSourceIds.length === 0) return out;
  const { rows } = await sql<{ data_source_id: string; framework_id: number | null }>`
    SELECT o.id AS data_source_id,
           coalesce(o.sdd_framework_id, d.sdd_framework_id,
                    (SELECT f.id FROM sdd_frameworks f WHERE f.is_global)) AS framework_id
      FROM data_objects o LEFT JOIN domains d ON d.id = o.domain_id
     WHERE o.id = ANY(${[...dataSourceIds]}::bigint[])`.execute(db);
  const ids = [...new Set(rows.flatMap((r) => (r.framework_id === null ? [] : [r.framework_id])))];
  if (ids.length === 0) return out;
  const frameworks = await db.selectFrom('sdd_frameworks').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(frameworks.map((f) => [f.id, f]));
  for (const r of rows) {
    const f = r.framework_id === null ? undefined : byId.get(r.framework_id);
    if (f) out.set(String(r.data_source_id), f);
  }
  return out;
}
