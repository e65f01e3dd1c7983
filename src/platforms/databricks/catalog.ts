import { AppError } from '../../errors/index.ts';
import type { CatalogColumn, CatalogSchema, CatalogTable } from '../platform.ts';
import type { Query } from './http.ts';
import type { DatabricksSession } from './session.ts';
import { dataTypeOf, tableKindOf } from './type-map.ts';

/**
 * Catalogs never crawled, besides the Steward-owned one: `system` (Databricks' system tables),
 * `samples` (read-only demo data Databricks provides), `hive_metastore` (the legacy metastore, which
 * Unity Catalog row filters and masks cannot govern) and Databricks' internal catalog.
 */
export const EXCLUDED_CATALOGS: ReadonlySet<string> = new Set([
  'system',
  'samples',
  'hive_metastore',
  '__databricks_internal',
]);
/** Catalog types never crawled: Databricks' own catalogs, whatever they are named. */
export const EXCLUDED_CATALOG_TYPES: ReadonlySet<string> = new Set(['SYSTEM_CATALOG', 'INTERNAL_CATALOG']);
/** Schemas never crawled. */
export const EXCLUDED_SCHEMAS: ReadonlySet<string> = new Set(['information_schema']);

interface CatalogInfo {
  readonly name: string;
  readonly catalog_type?: string;
}
interface SchemaInfo {
  readonly name: string;
  readonly comment?: string;
}
interface ColumnInfo {
  readonly name: string;
  readonly type_text?: string;
  readonly type_name?: string;
  readonly nullable?: boolean;
  readonly position?: number;
  readonly comment?: string;
}
interface TableInfo {
  readonly name: string;
  readonly table_type?: string;
  readonly comment?: string;
  readonly columns?: readonly ColumnInfo[];
}

/**
 * Yields each page of a paginated Unity Catalog listing, following `next_page_token` until it is
 * absent (a page may be empty and still have a next one).
 */
export async function* pages<T>(
  session: DatabricksSession,
  path: string,
  key: string,
  query: Query,
  signal?: AbortSignal,
): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await session.client.get<Record<string, unknown>>(
      path,
      { ...query, max_results: session.settings.pageSize, page_token: token },
      signal,
    );
    yield (Array.isArray(page[key]) ? page[key] : []) as T[];
    token =
      typeof page.next_page_token === 'string' && page.next_page_token !== ''
        ? page.next_page_token
        : undefined;
    if (token !== undefined && seen.has(token)) {
      throw new AppError(
        'PLATFORM_ERROR',
        `Databricks returned the same page token twice while listing ${path}.`,
      );
    }
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
}

/** Lists the catalogs to crawl: all the principal can see, without the excluded and Steward-owned ones. */
export async function listCatalogs(session: DatabricksSession, signal?: AbortSignal): Promise<string[]> {
  const steward = session.stewardCatalog?.toLowerCase();
  const names: string[] = [];
  for await (const page of pages<CatalogInfo>(
    session,
    '/api/2.1/unity-catalog/catalogs',
    'catalogs',
    {},
    signal,
  )) {
    for (const c of page) {
      const lower = c.name.toLowerCase();
      if (
        lower === steward ||
        EXCLUDED_CATALOGS.has(lower) ||
        EXCLUDED_CATALOG_TYPES.has(c.catalog_type ?? '')
      )
        continue;
      names.push(c.name);
    }
  }
  return names;
}

/** Lists the schemas of a catalog, without `information_schema`. */
export async function listSchemas(
  session: DatabricksSession,
  catalog: string,
  signal?: AbortSignal,
): Promise<CatalogSchema[]> {
  const out: CatalogSchema[] = [];
  const query = { catalog_name: catalog };
  for await (const page of pages<SchemaInfo>(
    session,
    '/api/2.1/unity-catalog/schemas',
    'schemas',
    query,
    signal,
  )) {
    for (const s of page) {
      if (!EXCLUDED_SCHEMAS.has(s.name.toLowerCase())) out.push({ name: s.name, comment: s.comment ?? null });
    }
  }
  return out;
}

function toColumn(c: ColumnInfo, index: number): CatalogColumn {
  return {
    name: c.name,
    remoteType: c.type_text ?? c.type_name ?? '',
    dataType: dataTypeOf(c.type_name, c.type_text),
    nullable: c.nullable ?? true,
    // Unity Catalog positions count from 0; catalog columns count from 1, as SQL ordinal positions do.
    position: (c.position ?? index) + 1,
    comment: c.comment ?? null,
  };
}

function toTable(catalog: string, schema: string, t: TableInfo): CatalogTable {
  const columns = (t.columns ?? []).map(toColumn).sort((a, b) => a.position - b.position);
  return {
    database: catalog,
    schema,
    name: t.name,
    kind: tableKindOf(t.table_type),
    comment: t.comment ?? null,
    columns,
  };
}

/**
 * Reads the tables of some schemas of a catalog with their columns, one batch per page of the Unity
 * Catalog table listing (which includes columns), so only one page is held at a time.
 */
export async function* readTables(
  session: DatabricksSession,
  catalog: string,
  schemas: readonly string[],
  signal?: AbortSignal,
): AsyncGenerator<CatalogTable[]> {
  for (const schema of schemas) {
    const query = { catalog_name: catalog, schema_name: schema, omit_properties: true };
    for await (const page of pages<TableInfo>(
      session,
      '/api/2.1/unity-catalog/tables',
      'tables',
      query,
      signal,
    )) {
      if (page.length > 0) yield page.map((t) => toTable(catalog, schema, t));
    }
  }
}
