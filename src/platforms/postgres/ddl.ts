import {
  COMMENT_PREFIX,
  type DesiredPolicy,
  type DesiredView,
  READ_POLICY,
  UNMANAGED_POLICY,
  VIEW_GUARD_POLICY,
  VIEW_POLICY,
} from './compile.ts';
import { mirrorSchemaComment, policyFingerprintSql, viewFingerprintSql } from './observe.ts';
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';
import { ENFORCED_TABLES_TABLE, MASK_SALTS_TABLE } from './script.ts';

/** One statement reconcile runs; `values` travel as parameters (never in the reported text). */
export interface Statement {
  readonly text: string;
  readonly values?: readonly string[];
}

/** A table by schema and name. */
export interface TableName {
  readonly schema: string;
  readonly table: string;
}

/** The table privileges a REVOKE may name (PostgreSQL 15 to 18). */
const TABLE_PRIVILEGES: ReadonlySet<string> = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
  'MAINTAIN',
]);

const s = (text: string): Statement => ({ text });
const qualified = (t: TableName) => quoteQualified(t.schema, t.table);

/** Creates a mirror schema, marks it as Steward's and lets everyone look into it. */
export function createMirrorSchema(schema: string, stewardSchema: string): Statement[] {
  return [
    s(`CREATE SCHEMA ${quoteIdent(schema)}`),
    s(`COMMENT ON SCHEMA ${quoteIdent(schema)} IS ${quoteLiteral(mirrorSchemaComment(stewardSchema))}`),
    grantSchemaUsage(schema),
  ];
}

/** Lets everyone look into a mirror schema (what each view shows is decided by the view). */
export function grantSchemaUsage(schema: string): Statement {
  return s(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO PUBLIC`);
}

/** Drops an empty mirror schema (RESTRICT: fails if anyone put something else there). */
export function dropMirrorSchema(schema: string): Statement {
  return s(`DROP SCHEMA ${quoteIdent(schema)}`);
}

/** Sets row level security on a table: enabled or not, forced or not. */
export function rowSecurity(t: TableName, what: 'ENABLE' | 'DISABLE' | 'FORCE' | 'NO FORCE'): Statement {
  return s(`ALTER TABLE ${qualified(t)} ${what} ROW LEVEL SECURITY`);
}

/** Creates one of Steward's policies and writes its hash comment. */
export function createPolicy(t: TableName, p: DesiredPolicy): Statement[] {
  const check = p.check === undefined ? '' : ` WITH CHECK (${p.check})`;
  return [
    s(
      `CREATE POLICY ${quoteIdent(p.name)} ON ${qualified(t)} AS ${p.restrictive ? 'RESTRICTIVE' : 'PERMISSIVE'} FOR ${p.command} TO ${p.role === undefined ? 'PUBLIC' : quoteIdent(p.role)} USING (${p.using})${check}`,
    ),
    s(
      `COMMENT ON POLICY ${quoteIdent(p.name)} ON ${qualified(t)} IS ${quoteLiteral(COMMENT_PREFIX + p.hash)}`,
    ),
  ];
}

/** Drops a policy of a table. */
export function dropPolicy(t: TableName, name: string): Statement {
  return s(`DROP POLICY IF EXISTS ${quoteIdent(name)} ON ${qualified(t)}`);
}

/**
 * Creates a masking view, hands it to the views role (so the table's row level security applies to
 * it through the policy addressed to that role), comments it and lets everyone select from it.
 */
export function createView(v: DesiredView): Statement[] {
  const name = quoteQualified(v.schema, v.name);
  return [
    s(`CREATE VIEW ${name} AS ${v.definition}`),
    // The new owner needs CREATE on the schema; granting it again is a no-op.
    s(`GRANT CREATE ON SCHEMA ${quoteIdent(v.schema)} TO ${quoteIdent(v.owner)}`),
    s(`ALTER VIEW ${name} OWNER TO ${quoteIdent(v.owner)}`),
    s(`COMMENT ON VIEW ${name} IS ${quoteLiteral(v.comment)}`),
    s(`GRANT SELECT ON ${name} TO PUBLIC`),
  ];
}

/** Drops a view. */
export function dropView(schema: string, name: string): Statement {
  return s(`DROP VIEW IF EXISTS ${quoteQualified(schema, name)}`);
}

/** Takes back privileges PUBLIC was granted on a table. */
export function revokeFromPublic(t: TableName, privileges: readonly string[]): Statement {
  for (const p of privileges) {
    if (!TABLE_PRIVILEGES.has(p)) throw new Error(`Unknown table privilege ${JSON.stringify(p)}.`);
  }
  return s(`REVOKE ${privileges.join(', ')} ON ${qualified(t)} FROM PUBLIC`);
}

/** Stores a data source's hash salt; the salt travels as a parameter, never in the statement text. */
export function upsertSalt(stewardSchema: string, dataSourceId: string, salt: string): Statement {
  return {
    text: `INSERT INTO ${quoteQualified(stewardSchema, MASK_SALTS_TABLE)} (data_source_id, salt) VALUES (${quoteLiteral(dataSourceId)}, $1) ON CONFLICT (data_source_id) DO UPDATE SET salt = EXCLUDED.salt`,
    values: [salt],
  };
}

/** Forgets a data source's hash salt. */
export function deleteSalt(stewardSchema: string, dataSourceId: string): Statement {
  return s(
    `DELETE FROM ${quoteQualified(stewardSchema, MASK_SALTS_TABLE)} WHERE data_source_id = ${quoteLiteral(dataSourceId)}`,
  );
}

/** What Steward records about a governed table when it applies it. */
export interface RecordValues {
  readonly dataSourceId: string;
  readonly table: TableName;
  readonly view: TableName;
  readonly rlsBefore: boolean;
  readonly forceBefore: boolean;
  readonly publicPrivileges: readonly string[];
}

const sqlBool = (b: boolean) => (b ? 'TRUE' : 'FALSE');

/**
 * Records a data source as applied: its table, view and the baseline Steward found, with the
 * fingerprints of its policies and view read back from the catalog in the same statement, so the next
 * reconcile can tell Steward's own objects from objects changed out of band.
 */
export function upsertRecord(stewardSchema: string, r: RecordValues): Statement {
  const table = `${quoteLiteral(qualified(r.table))}::regclass`;
  const policy = (name: string) =>
    `(SELECT ${policyFingerprintSql('p', 'd')} FROM pg_policy p LEFT JOIN pg_description d ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid AND d.objsubid = 0 WHERE p.polrelid = ${table} AND p.polname = ${quoteLiteral(name)})`;
  const view = `(SELECT ${viewFingerprintSql('v', 'd')} FROM pg_class v LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = v.oid AND d.objsubid = 0 WHERE v.oid = ${quoteLiteral(qualified(r.view))}::regclass)`;
  const privileges = `ARRAY[${r.publicPrivileges.map(quoteLiteral).join(', ')}]::text[]`;
  const values = [
    quoteLiteral(r.dataSourceId),
    quoteLiteral(r.table.schema),
    quoteLiteral(r.table.table),
    quoteLiteral(r.view.schema),
    quoteLiteral(r.view.table),
    sqlBool(r.rlsBefore),
    sqlBool(r.forceBefore),
    privileges,
    `jsonb_build_object(${quoteLiteral(READ_POLICY)}, ${policy(READ_POLICY)}, ${quoteLiteral(UNMANAGED_POLICY)}, ${policy(UNMANAGED_POLICY)}, ${quoteLiteral(VIEW_POLICY)}, ${policy(VIEW_POLICY)}, ${quoteLiteral(VIEW_GUARD_POLICY)}, ${policy(VIEW_GUARD_POLICY)}, 'view', ${view})`,
  ];
  const columns = [
    'data_source_id',
    'table_schema',
    'table_name',
    'view_schema',
    'view_name',
    'rls_before',
    'force_before',
    'public_privileges',
    'fingerprints',
  ];
  const update = columns
    .slice(1)
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  return s(
    `INSERT INTO ${quoteQualified(stewardSchema, ENFORCED_TABLES_TABLE)} (${columns.join(', ')}) SELECT ${values.join(', ')} ON CONFLICT (data_source_id) DO UPDATE SET ${update}`,
  );
}

/** Forgets Steward's record of a data source. */
export function deleteRecord(stewardSchema: string, dataSourceId: string): Statement {
  return s(
    `DELETE FROM ${quoteQualified(stewardSchema, ENFORCED_TABLES_TABLE)} WHERE data_source_id = ${quoteLiteral(dataSourceId)}`,
  );
}
