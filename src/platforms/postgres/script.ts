import type { ScriptKind } from '../platform.ts';
import { dollarQuote, quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';
import type { PostgresScriptConfig } from './schemas.ts';

/** The entitlement tables of the Steward-owned schema: one row per fact about a platform principal. */
export const ENTITLEMENT_TABLES = [
  'user_groups',
  'user_attributes',
  'user_subscriptions',
  'user_purposes',
] as const;

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
  const grants = c.governedSchemas
    ? c.governedSchemas.flatMap((s) => [
        `GRANT USAGE ON SCHEMA ${quoteIdent(s)} TO ${role};`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(s)} TO ${role};`,
      ])
    : [`GRANT pg_read_all_data TO ${role};`];
  const fn = (signature: string, returns: string, body: string) =>
    [
      `CREATE OR REPLACE FUNCTION ${schema}.${signature} RETURNS ${returns}`,
      `  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp`,
      `  AS ${dollarQuote(body)};`,
    ].join('\n');
  return [
    `-- Steward setup for PostgreSQL database ${c.database} on ${c.host}:${c.port}.`,
    `-- Run it once as a superuser (or the database owner with CREATEROLE), for example:`,
    `--   psql -h ${c.host} -p ${c.port} -d ${c.database} -v ON_ERROR_STOP=1 -f steward-setup.sql`,
    `-- Then give the service role a password and use it in POST /data/connection:`,
    `--   ALTER ROLE ${role} PASSWORD '<a strong password>';`,
    'BEGIN;',
    '',
    `-- The login role Steward connects as.`,
    `DO ${createRole};`,
    `GRANT CONNECT ON DATABASE ${quoteIdent(c.database)} TO ${role};`,
    '',
    `-- The Steward-owned schema: entitlement tables that enforcement reads through current_user.`,
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${role};`,
    `CREATE TABLE IF NOT EXISTS ${t('user_groups')} (principal text NOT NULL, group_name text NOT NULL, PRIMARY KEY (principal, group_name));`,
    `CREATE TABLE IF NOT EXISTS ${t('user_attributes')} (principal text NOT NULL, attribute_key text NOT NULL, attribute_value text NOT NULL, PRIMARY KEY (principal, attribute_key, attribute_value));`,
    `CREATE TABLE IF NOT EXISTS ${t('user_subscriptions')} (principal text NOT NULL, data_source_id text NOT NULL, PRIMARY KEY (principal, data_source_id));`,
    `CREATE TABLE IF NOT EXISTS ${t('user_purposes')} (principal text NOT NULL, purpose text NOT NULL, PRIMARY KEY (principal, purpose));`,
    `CREATE TABLE IF NOT EXISTS ${t('steward_meta')} (key text PRIMARY KEY, value text NOT NULL);`,
    `INSERT INTO ${t('steward_meta')} VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING;`,
    ...ENTITLEMENT_TABLES.flatMap((name) => [
      `ALTER TABLE ${t(name)} OWNER TO ${role};`,
      `ALTER TABLE ${t(name)} ENABLE ROW LEVEL SECURITY;`,
      `DROP POLICY IF EXISTS own_rows ON ${t(name)};`,
      `CREATE POLICY own_rows ON ${t(name)} FOR SELECT TO PUBLIC USING (principal = current_user);`,
      `GRANT SELECT ON ${t(name)} TO PUBLIC;`,
    ]),
    `ALTER TABLE ${t('steward_meta')} OWNER TO ${role};`,
    `REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC;`,
    `GRANT USAGE ON SCHEMA ${schema} TO PUBLIC;`,
    '',
    `-- Helper functions: each person sees only their own entitlements (row level security above).`,
    fn(
      'current_groups()',
      'text[]',
      `SELECT coalesce(array_agg(group_name), '{}') FROM ${t('user_groups')} WHERE principal = current_user`,
    ),
    fn(
      'attribute_values(attribute_key text)',
      'text[]',
      `SELECT coalesce(array_agg(attribute_value), '{}') FROM ${t('user_attributes')} a WHERE a.principal = current_user AND a.attribute_key = $1`,
    ),
    fn(
      'is_subscribed(data_source_id text)',
      'boolean',
      `SELECT EXISTS (SELECT 1 FROM ${t('user_subscriptions')} s WHERE s.principal = current_user AND s.data_source_id = $1)`,
    ),
    fn(
      'using_purpose(purpose text)',
      'boolean',
      `SELECT EXISTS (SELECT 1 FROM ${t('user_purposes')} p WHERE p.principal = current_user AND p.purpose = $1)`,
    ),
    ...['current_groups()', 'attribute_values(text)', 'is_subscribed(text)', 'using_purpose(text)'].flatMap(
      (f) => [
        `ALTER FUNCTION ${schema}.${f} OWNER TO ${role};`,
        `GRANT EXECUTE ON FUNCTION ${schema}.${f} TO PUBLIC;`,
      ],
    ),
    '',
    c.governedSchemas
      ? `-- Read access to the governed schemas, for crawling and discovery.`
      : `-- Read access to every table, for crawling and discovery.`,
    ...grants,
    'COMMIT;',
    '',
  ].join('\n');
}

function removalScript(c: PostgresScriptConfig, reason: string): string {
  const role = quoteIdent(c.username);
  const dropRole = dollarQuote(`
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(c.username)}) THEN
    EXECUTE format('REASSIGN OWNED BY %I TO CURRENT_USER', ${quoteLiteral(c.username)});
    EXECUTE format('DROP OWNED BY %I', ${quoteLiteral(c.username)});
    EXECUTE format('DROP ROLE %I', ${quoteLiteral(c.username)});
  END IF;
END
`);
  return [
    `-- ${reason} for PostgreSQL database ${c.database} on ${c.host}:${c.port}.`,
    `-- Run it as a superuser. It drops the Steward-owned schema with every policy helper in it, and the service role.`,
    'BEGIN;',
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
