import { READ_POLICY, UNMANAGED_POLICY, VIEW_GUARD_POLICY, VIEW_POLICY } from './compile.ts';
import { quoteLiteral, quoteQualified } from './quote.ts';
import { ENFORCED_TABLES_TABLE, MASK_SALTS_TABLE } from './script.ts';
import type { PostgresSession } from './session.ts';

/** A Steward policy as the catalog holds it. */
export interface ObservedPolicy {
  readonly name: string;
  readonly comment: string | null;
  /** MD5 of its command, roles, deparsed expressions and comment: changes when anyone alters it. */
  readonly fingerprint: string;
}

/** A governed (or formerly governed) table as the catalog holds it. */
export interface ObservedTable {
  readonly schema: string;
  readonly table: string;
  /** `pg_class.relkind`: `r` table, `p` partitioned table, others cannot carry policies. */
  readonly kind: string;
  readonly owner: string;
  readonly ownerIsSuperuser: boolean;
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  /** Table privileges PUBLIC holds (`SELECT`, `INSERT`...), sorted. */
  readonly publicPrivileges: readonly string[];
  /** Policies on the table that are not Steward's. */
  readonly otherPolicies: number;
  readonly policies: readonly ObservedPolicy[];
}

/** A mirror schema (or a schema carrying a mirror schema's name). */
export interface ObservedSchema {
  readonly name: string;
  readonly owner: string;
  readonly comment: string | null;
  readonly publicUsage: boolean;
  /** Relations in it (views, tables...). */
  readonly objects: number;
}

/** A view in a mirror schema. */
export interface ObservedView {
  readonly schema: string;
  readonly name: string;
  readonly comment: string | null;
  /** MD5 of its deparsed query, options, owner, privileges and comment. */
  readonly fingerprint: string;
}

/** What Steward recorded when it last applied a data source, and what it found there first. */
export interface EnforcedRecord {
  readonly dataSourceId: string;
  readonly tableSchema: string;
  readonly tableName: string;
  readonly viewSchema: string;
  readonly viewName: string;
  /** Row level security as Steward first found it: restored when the table is no longer governed. */
  readonly rlsBefore: boolean;
  readonly forceBefore: boolean;
  /** PUBLIC's privileges on the table when Steward first enforced it: more is drift. */
  readonly publicPrivileges: readonly string[];
  /** Fingerprints of the objects right after Steward applied them, by policy name and `view`. */
  readonly fingerprints: Readonly<Record<string, string>>;
}

/** Everything reconcile needs to know about a database, read in one catalog query. */
export interface ObservedState {
  readonly tables: readonly ObservedTable[];
  readonly schemas: readonly ObservedSchema[];
  readonly views: readonly ObservedView[];
  /** Hash salts by data source id. */
  readonly salts: ReadonlyMap<string, string>;
  readonly enforced: readonly EnforcedRecord[];
}

/** What to look at: the target tables and the mirror schemas the desired state names. */
export interface ObserveScope {
  readonly stewardSchema: string;
  readonly tables: ReadonlyArray<{ readonly schema: string; readonly table: string }>;
  readonly mirrorSchemas: readonly string[];
}

/** The comment Steward puts on its mirror schemas. */
export function mirrorSchemaComment(stewardSchema: string): string {
  return `steward:mirror:${stewardSchema}`;
}

const STEWARD_POLICIES = `(${[READ_POLICY, UNMANAGED_POLICY, VIEW_POLICY, VIEW_GUARD_POLICY].map(quoteLiteral).join(', ')})`;

/** SQL of a policy's fingerprint, `p` a pg_policy row and `d` its pg_description row. */
export function policyFingerprintSql(p: string, d: string): string {
  return `md5(concat_ws(chr(10), ${p}.polcmd::text, ${p}.polpermissive::text, ${p}.polroles::text, pg_get_expr(${p}.polqual, ${p}.polrelid), pg_get_expr(${p}.polwithcheck, ${p}.polrelid), ${d}.description))`;
}

/** SQL of a view's fingerprint, `v` its pg_class row and `d` its pg_description row. */
export function viewFingerprintSql(v: string, d: string): string {
  return `md5(concat_ws(chr(10), pg_get_viewdef(${v}.oid), ${v}.reloptions::text, pg_get_userbyid(${v}.relowner), ${v}.relacl::text, ${d}.description))`;
}

/** `LEFT JOIN pg_description` of an object's own comment. */
function commentJoin(alias: string, catalog: string, oid: string): string {
  return `LEFT JOIN pg_description ${alias} ON ${alias}.classoid = '${catalog}'::regclass AND ${alias}.objoid = ${oid} AND ${alias}.objsubid = 0`;
}

function observeSql(stewardSchema: string): string {
  const enforced = quoteQualified(stewardSchema, ENFORCED_TABLES_TABLE);
  const salts = quoteQualified(stewardSchema, MASK_SALTS_TABLE);
  return `
WITH wanted AS (
  SELECT s AS schema_name, t AS table_name FROM unnest($1::text[], $2::text[]) AS w(s, t)
), enforced AS (
  SELECT * FROM ${enforced}
), rels AS (
  SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE (n.nspname::text, c.relname::text) IN (SELECT schema_name, table_name FROM wanted)
      OR (n.nspname::text, c.relname::text) IN (SELECT table_schema, table_name FROM enforced)
  UNION
  SELECT polrelid FROM pg_policy WHERE polname IN ${STEWARD_POLICIES}
), mirrors AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl, d.description
    FROM pg_namespace n ${commentJoin('d', 'pg_namespace', 'n.oid')}
   WHERE n.nspname::text = ANY ($3::text[]) OR d.description = $4
      OR n.nspname::text IN (SELECT view_schema FROM enforced)
)
SELECT json_build_object(
  'tables', (SELECT coalesce(json_agg(json_build_object(
      'schema', n.nspname, 'table', c.relname, 'kind', c.relkind, 'owner', o.rolname,
      'ownerIsSuperuser', o.rolsuper, 'rowSecurity', c.relrowsecurity,
      'forceRowSecurity', c.relforcerowsecurity,
      'publicPrivileges', ARRAY(SELECT DISTINCT a.privilege_type FROM aclexplode(c.relacl) a
                                 WHERE a.grantee = 0 ORDER BY 1),
      'otherPolicies', (SELECT count(*) FROM pg_policy p
                         WHERE p.polrelid = c.oid AND p.polname NOT IN ${STEWARD_POLICIES}),
      'policies', (SELECT coalesce(json_agg(json_build_object(
                     'name', p.polname, 'comment', d.description,
                     'fingerprint', ${policyFingerprintSql('p', 'd')}) ORDER BY p.polname), '[]')
                     FROM pg_policy p ${commentJoin('d', 'pg_policy', 'p.oid')}
                    WHERE p.polrelid = c.oid AND p.polname IN ${STEWARD_POLICIES})
    )), '[]')
    FROM rels r JOIN pg_class c ON c.oid = r.oid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_roles o ON o.oid = c.relowner),
  'schemas', (SELECT coalesce(json_agg(json_build_object(
      'name', m.nspname, 'owner', pg_get_userbyid(m.nspowner), 'comment', m.description,
      'publicUsage', EXISTS (SELECT 1 FROM aclexplode(m.nspacl) a
                              WHERE a.grantee = 0 AND a.privilege_type = 'USAGE'),
      'objects', (SELECT count(*) FROM pg_class k WHERE k.relnamespace = m.oid)
    )), '[]') FROM mirrors m),
  'views', (SELECT coalesce(json_agg(json_build_object(
      'schema', m.nspname, 'name', v.relname, 'comment', d.description,
      'fingerprint', ${viewFingerprintSql('v', 'd')}
    )), '[]')
    FROM mirrors m JOIN pg_class v ON v.relnamespace = m.oid AND v.relkind = 'v'
    ${commentJoin('d', 'pg_class', 'v.oid')}),
  'salts', (SELECT coalesce(json_object_agg(data_source_id, salt), '{}') FROM ${salts}),
  'enforced', (SELECT coalesce(json_agg(json_build_object(
      'dataSourceId', e.data_source_id, 'tableSchema', e.table_schema, 'tableName', e.table_name,
      'viewSchema', e.view_schema, 'viewName', e.view_name, 'rlsBefore', e.rls_before,
      'forceBefore', e.force_before, 'publicPrivileges', e.public_privileges,
      'fingerprints', e.fingerprints)), '[]') FROM enforced e)
) AS observed`;
}

interface RawObserved {
  readonly tables: Array<Omit<ObservedTable, 'otherPolicies'> & { readonly otherPolicies: number | string }>;
  readonly schemas: Array<Omit<ObservedSchema, 'objects'> & { readonly objects: number | string }>;
  readonly views: ObservedView[];
  readonly salts: Record<string, string>;
  readonly enforced: EnforcedRecord[];
}

/**
 * Reads, in one catalog query, what the database holds for enforcement: each target table and each
 * table carrying a Steward policy or recorded as enforced (row level security flags, owner, PUBLIC's
 * privileges, Steward's policies with comments and fingerprints), the mirror schemas and their
 * views, the hash salts and Steward's enforcement records. Needs the service role's rights (the
 * salts and records are readable by it only).
 */
export async function observePostgres(session: PostgresSession, scope: ObserveScope): Promise<ObservedState> {
  const result = await session.client.query<{ observed: RawObserved }>(observeSql(scope.stewardSchema), [
    scope.tables.map((t) => t.schema),
    scope.tables.map((t) => t.table),
    [...scope.mirrorSchemas],
    mirrorSchemaComment(scope.stewardSchema),
  ]);
  const raw = result.rows[0]!.observed;
  return {
    tables: raw.tables.map((t) => ({ ...t, otherPolicies: Number(t.otherPolicies) })),
    schemas: raw.schemas.map((s) => ({ ...s, objects: Number(s.objects) })),
    views: raw.views,
    salts: new Map(Object.entries(raw.salts)),
    enforced: raw.enforced,
  };
}
