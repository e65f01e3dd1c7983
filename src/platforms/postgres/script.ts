import type { ScriptKind } from '../platform.ts';
import { viewsRoleName } from './names.ts';
import { dollarQuote, quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';
import type { PostgresScriptConfig } from './schemas.ts';

/** The entitlement tables of the Steward-owned schema: one row per fact about a platform principal. */
export const ENTITLEMENT_TABLES = [
  'user_principals',
  'user_groups',
  'user_attributes',
  'user_subscriptions',
  'user_purposes',
] as const;

/** The table of per-data-source hash salts: readable by the service role only. */
export const MASK_SALTS_TABLE = 'mask_salts';
/** The table recording what Steward applied to each governed table and the state it found there first. */
export const ENFORCED_TABLES_TABLE = 'enforced_tables';

/** Compares an entitlement row's principal with the querying role, index-usable (see performance.md §2.2). */
const MINE = `principal = current_user::text COLLATE "default"`;

/** A helper function: name, parameters (name and type), return type and SQL body. */
interface Helper {
  readonly name: string;
  readonly params: ReadonlyArray<readonly [name: string, type: 'text']>;
  readonly returns: 'boolean' | 'text[]';
  readonly body: string;
}

/** The helper functions policies and views call. Each reads only the caller's own rows. */
function helpers(t: (name: string) => string): readonly Helper[] {
  const h = (name: string, params: readonly string[], returns: Helper['returns'], body: string): Helper => ({
    name,
    params: params.map((p) => [p, 'text'] as const),
    returns,
    body,
  });
  return [
    h('is_governed', [], 'boolean', `SELECT EXISTS (SELECT 1 FROM ${t('user_principals')} WHERE ${MINE})`),
    h(
      'current_groups',
      [],
      'text[]',
      `SELECT coalesce(array_agg(group_name), '{}') FROM ${t('user_groups')} WHERE ${MINE}`,
    ),
    h(
      'in_group',
      ['group_name'],
      'boolean',
      `SELECT EXISTS (SELECT 1 FROM ${t('user_groups')} g WHERE g.${MINE} AND g.group_name = $1)`,
    ),
    h(
      'attribute_values',
      ['attribute_key'],
      'text[]',
      `SELECT coalesce(array_agg(attribute_value), '{}') FROM ${t('user_attributes')} a WHERE a.${MINE} AND a.attribute_key = $1`,
    ),
    h(
      'has_attribute',
      ['attribute_key', 'attribute_value'],
      'boolean',
      `SELECT EXISTS (SELECT 1 FROM ${t('user_attributes')} a WHERE a.${MINE} AND a.attribute_key = $1 AND a.attribute_value = $2)`,
    ),
    h(
      'is_subscribed',
      ['data_source_id'],
      'boolean',
      `SELECT EXISTS (SELECT 1 FROM ${t('user_subscriptions')} s WHERE s.${MINE} AND s.data_source_id = $1)`,
    ),
    h(
      'using_purpose',
      ['purpose'],
      'boolean',
      `SELECT EXISTS (SELECT 1 FROM ${t('user_purposes')} p WHERE p.${MINE} AND p.purpose = $1)`,
    ),
    h(
      'current_purposes',
      [],
      'text[]',
      `SELECT coalesce(array_agg(purpose), '{}') FROM ${t('user_purposes')} WHERE ${MINE}`,
    ),
  ];
}

/**
 * A DO block making the service role a member of every non-superuser role owning a table in the
 * governed schemas (all user schemas when none are named): enabling row level security and creating
 * policies needs ownership. Owners that are themselves members of the service role are skipped (a
 * cycle), and superuser-owned tables cannot be governed: the block names them in a notice.
 */
function grantOwners(c: PostgresScriptConfig): string {
  const schemas = c.governedSchemas
    ? `n.nspname::text = ANY (ARRAY[${c.governedSchemas.map(quoteLiteral).join(', ')}]::text[])`
    : `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname::text <> ${quoteLiteral(c.schema)}`;
  const role = quoteLiteral(c.username);
  return dollarQuote(`
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT o.rolname, o.rolsuper
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_roles o ON o.oid = c.relowner
     WHERE c.relkind IN ('r', 'p') AND ${schemas}
       AND o.rolname::text <> ${role} AND o.rolname NOT LIKE 'pg\\_%'
  LOOP
    IF r.rolsuper THEN
      RAISE NOTICE 'Tables owned by the superuser % cannot be governed: give them a non-superuser owner and run this script again.', r.rolname;
    ELSIF NOT pg_catalog.pg_has_role(r.rolname, ${role}, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', r.rolname, ${role});
    END IF;
  END LOOP;
END
`);
}

function createScript(c: PostgresScriptConfig): string {
  const schema = quoteIdent(c.schema);
  const role = quoteIdent(c.username);
  const t = (name: string) => quoteQualified(c.schema, name);
  const createRole = dollarQuote(`
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(c.username)}) THEN
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', ${quoteLiteral(c.username)});
  END IF;
END
`);
  const views = quoteIdent(viewsRoleName(c.username));
  const createViewsRole = dollarQuote(`
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(viewsRoleName(c.username))}) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', ${quoteLiteral(viewsRoleName(c.username))});
  END IF;
END
`);
  const grants = [role, views].flatMap((grantee) =>
    c.governedSchemas
      ? c.governedSchemas.flatMap((s) => [
          `GRANT USAGE ON SCHEMA ${quoteIdent(s)} TO ${grantee};`,
          `GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(s)} TO ${grantee};`,
        ])
      : [`GRANT pg_read_all_data TO ${grantee};`],
  );
  const fns = helpers(t);
  const signature = (f: Helper) =>
    `${schema}.${quoteIdent(f.name)}(${f.params.map(([, type]) => type).join(', ')})`;
  const fn = (f: Helper) =>
    [
      `CREATE OR REPLACE FUNCTION ${schema}.${quoteIdent(f.name)}(${f.params.map(([n, type]) => `${quoteIdent(n)} ${type}`).join(', ')}) RETURNS ${f.returns}`,
      `  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp`,
      `  AS ${dollarQuote(f.body)};`,
    ].join('\n');
  return [
    `-- Steward setup for PostgreSQL database ${c.database} on ${c.host}:${c.port}.`,
    `-- Run it once as a superuser (granting BYPASSRLS needs one), for example:`,
    `--   psql -h ${c.host} -p ${c.port} -d ${c.database} -v ON_ERROR_STOP=1 -f steward-setup.sql`,
    `-- Then give the service role a password and use it in POST /data/connection:`,
    `--   ALTER ROLE ${role} PASSWORD '<a strong password>';`,
    `-- Run it again after creating governed tables owned by a new role, so Steward may govern them.`,
    'BEGIN;',
    '',
    `-- The login role Steward connects as. BYPASSRLS: discovery samples the rows of governed tables`,
    `-- whatever their policies; CREATE on the database: the schemas holding the masking views.`,
    `DO ${createRole};`,
    `ALTER ROLE ${role} BYPASSRLS;`,
    `GRANT CONNECT, CREATE ON DATABASE ${quoteIdent(c.database)} TO ${role};`,
    '',
    `-- The role owning Steward's masking views: no login, no BYPASSRLS, so row level security filters`,
    `-- what its views read (through the steward_view policy addressed to it). The service role hands`,
    `-- views to it, so it is a member.`,
    `DO ${createViewsRole};`,
    `GRANT ${views} TO ${role};`,
    '',
    `-- The Steward-owned schema: entitlement tables that enforcement reads through current_user.`,
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${role};`,
    `CREATE TABLE IF NOT EXISTS ${t('user_principals')} (principal text PRIMARY KEY);`,
    `CREATE TABLE IF NOT EXISTS ${t('user_groups')} (principal text NOT NULL, group_name text NOT NULL, PRIMARY KEY (principal, group_name));`,
    `CREATE TABLE IF NOT EXISTS ${t('user_attributes')} (principal text NOT NULL, attribute_key text NOT NULL, attribute_value text NOT NULL, PRIMARY KEY (principal, attribute_key, attribute_value));`,
    `CREATE TABLE IF NOT EXISTS ${t('user_subscriptions')} (principal text NOT NULL, data_source_id text NOT NULL, PRIMARY KEY (principal, data_source_id));`,
    `CREATE TABLE IF NOT EXISTS ${t('user_purposes')} (principal text NOT NULL, purpose text NOT NULL, PRIMARY KEY (principal, purpose));`,
    `CREATE TABLE IF NOT EXISTS ${t('steward_meta')} (key text PRIMARY KEY, value text NOT NULL);`,
    `INSERT INTO ${t('steward_meta')} VALUES ('schema_version', '2') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;`,
    ...ENTITLEMENT_TABLES.flatMap((name) => [
      `ALTER TABLE ${t(name)} OWNER TO ${role};`,
      `ALTER TABLE ${t(name)} ENABLE ROW LEVEL SECURITY;`,
      `DROP POLICY IF EXISTS own_rows ON ${t(name)};`,
      `CREATE POLICY own_rows ON ${t(name)} FOR SELECT TO PUBLIC USING (${MINE});`,
      `GRANT SELECT ON ${t(name)} TO PUBLIC;`,
    ]),
    `ALTER TABLE ${t('steward_meta')} OWNER TO ${role};`,
    '',
    `-- Enforcement state, readable by the service role only: the salt of each data source's hash masks,`,
    `-- and per governed table what Steward applied and what it found there before (restored on removal).`,
    `CREATE TABLE IF NOT EXISTS ${t(MASK_SALTS_TABLE)} (data_source_id text PRIMARY KEY, salt text NOT NULL);`,
    `CREATE TABLE IF NOT EXISTS ${t(ENFORCED_TABLES_TABLE)} (data_source_id text PRIMARY KEY, table_schema text NOT NULL, table_name text NOT NULL, view_schema text NOT NULL, view_name text NOT NULL, rls_before boolean NOT NULL, force_before boolean NOT NULL, public_privileges text[] NOT NULL, fingerprints jsonb NOT NULL);`,
    ...[MASK_SALTS_TABLE, ENFORCED_TABLES_TABLE].flatMap((name) => [
      `ALTER TABLE ${t(name)} OWNER TO ${role};`,
      `REVOKE ALL ON ${t(name)} FROM PUBLIC;`,
    ]),
    `GRANT SELECT ON ${t(MASK_SALTS_TABLE)} TO ${views};`,
    `REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC;`,
    `GRANT USAGE ON SCHEMA ${schema} TO PUBLIC;`,
    '',
    `-- Helper functions that policies and masking views call once per query, in uncorrelated`,
    `-- sub-SELECTs: each person sees only their own entitlements (row level security above).`,
    ...fns.map(fn),
    ...fns.flatMap((f) => [
      `ALTER FUNCTION ${signature(f)} OWNER TO ${role};`,
      `GRANT EXECUTE ON FUNCTION ${signature(f)} TO PUBLIC;`,
    ]),
    '',
    c.governedSchemas
      ? `-- Read access to the governed schemas, for crawling and discovery.`
      : `-- Read access to every table, for crawling and discovery.`,
    ...grants,
    '',
    `-- Enforcement needs ownership of governed tables: membership of their (non-superuser) owners.`,
    `DO ${grantOwners(c)};`,
    'COMMIT;',
    '',
  ].join('\n');
}

/**
 * A DO block undoing Steward's enforcement before its schema goes: for each table it governed,
 * drops its policies and restores row level security as Steward found it, then drops the mirror
 * schemas with their masking views. Otherwise a forced table left without policies denies everyone.
 */
function undoEnforcement(c: PostgresScriptConfig): string {
  const state = quoteLiteral(quoteQualified(c.schema, ENFORCED_TABLES_TABLE));
  return dollarQuote(`
DECLARE
  r record;
BEGIN
  IF to_regclass(${state}) IS NOT NULL THEN
    FOR r IN EXECUTE format('SELECT * FROM %s', ${state}) LOOP
      IF to_regclass(format('%I.%I', r.table_schema, r.table_name)) IS NOT NULL THEN
        EXECUTE format('DROP POLICY IF EXISTS steward_read ON %I.%I', r.table_schema, r.table_name);
        EXECUTE format('DROP POLICY IF EXISTS steward_unmanaged ON %I.%I', r.table_schema, r.table_name);
        EXECUTE format('ALTER TABLE %I.%I %s ROW LEVEL SECURITY, %s ROW LEVEL SECURITY', r.table_schema, r.table_name,
          CASE WHEN r.rls_before THEN 'ENABLE' ELSE 'DISABLE' END, CASE WHEN r.force_before THEN 'FORCE' ELSE 'NO FORCE' END);
      END IF;
    END LOOP;
  END IF;
  FOR r IN SELECT n.nspname FROM pg_catalog.pg_namespace n
            WHERE pg_catalog.obj_description(n.oid, 'pg_namespace') = ${quoteLiteral(`steward:mirror:${c.schema}`)} LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END
`);
}

function removalScript(c: PostgresScriptConfig, reason: string): string {
  const role = quoteIdent(c.username);
  const dropRole = dollarQuote(`
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(viewsRoleName(c.username))}) THEN
    EXECUTE format('REASSIGN OWNED BY %I TO CURRENT_USER', ${quoteLiteral(viewsRoleName(c.username))});
    EXECUTE format('DROP OWNED BY %I', ${quoteLiteral(viewsRoleName(c.username))});
    EXECUTE format('DROP ROLE %I', ${quoteLiteral(viewsRoleName(c.username))});
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(c.username)}) THEN
    EXECUTE format('REASSIGN OWNED BY %I TO CURRENT_USER', ${quoteLiteral(c.username)});
    EXECUTE format('DROP OWNED BY %I', ${quoteLiteral(c.username)});
    EXECUTE format('DROP ROLE %I', ${quoteLiteral(c.username)});
  END IF;
END
`);
  return [
    `-- ${reason} for PostgreSQL database ${c.database} on ${c.host}:${c.port}.`,
    `-- Run it as a superuser. It restores row level security on governed tables as Steward found it,`,
    `-- drops Steward's policies, masking views and schemas, and the service role.`,
    'BEGIN;',
    `DO ${undoEnforcement(c)};`,
    `DROP SCHEMA IF EXISTS ${quoteIdent(c.schema)} CASCADE;`,
    `DO ${dropRole};`,
    'COMMIT;',
    '',
    `-- ${role} and ${quoteIdent(c.schema)} are gone; run this in every database the role was granted in.`,
    '',
  ].join('\n');
}

/** Returns the setup script (create) or the removal script (cleanup after a failed setup, or delete). */
export function postgresScript(config: PostgresScriptConfig, kind: ScriptKind): string {
  switch (kind) {
    case 'create':
      return createScript(config);
    case 'cleanup':
      return removalScript(config, 'Steward cleanup of a setup that did not complete');
    case 'delete':
      return removalScript(config, 'Steward removal');
  }
}
