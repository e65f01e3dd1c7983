import type { ScriptKind } from '../platform.ts';
import { quoteIdent as id, quoteLiteral, quoteQualified } from './quote.ts';
import type { DatabricksScriptConfig } from './schemas.ts';

/**
 * Stands for Steward's service principal in scripts of token connections: the token does not say
 * whom it belongs to, so the admin replaces it with the principal's application ID.
 */
export const PRINCIPAL_PLACEHOLDER = '<service-principal-application-id>';

/** The schema of the Steward-owned catalog that holds entitlements and helper functions. */
export const ENTITLEMENTS_SCHEMA = 'entitlements';

const TABLES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['user_principals', ['principal']],
  ['user_groups', ['principal', 'group_name']],
  ['user_attributes', ['principal', 'attribute_key', 'attribute_value']],
  ['user_subscriptions', ['principal', 'data_source_id']],
  ['user_purposes', ['principal', 'purpose']],
];

const AUDIT_TABLES = ['audit', 'table_lineage', 'column_lineage'] as const;
const CATALOG_COMMENT =
  'Owned by Steward: entitlements and policy functions. Do not grant to other principals.';
const SCHEMA_COMMENT = 'Steward entitlements of Databricks users, kept in sync by Steward.';

/** `--` comment lines, one per text; line breaks and control characters in a text become spaces. */
function note(...lines: readonly string[]): string {
  return lines.map((l) => `-- ${l.replace(/[\p{Cc}\u2028\u2029]/gu, ' ')}`.trimEnd()).join('\n');
}

function header(config: DatabricksScriptConfig, title: string, about: readonly string[]): string {
  const principal = id(principalOf(config));
  const who =
    config.authenticationType === 'oAuthM2M'
      ? [`Steward's service principal: ${principal} (the OAuth client ID of the connection).`]
      : [
          'This connection signs in with a personal access token, which does not say whom it belongs to.',
          `Before running the script, replace every ${principal} below with the`,
          'application ID of the service principal that owns the token.',
        ];
  return note(
    `Steward: Databricks Unity Catalog integration, ${title} script.`,
    `Workspace: ${config.workspaceUrl}`,
    ...about,
    ...who,
    'The script holds no token or secret.',
  );
}

/** Returns the principal a script grants to: the OAuth client ID, or the placeholder for token connections. */
export function principalOf(config: DatabricksScriptConfig): string {
  return config.authenticationType === 'oAuthM2M' ? config.oAuthClientConfig.clientId : PRINCIPAL_PLACEHOLDER;
}

/** The helper functions, by name: each reads the querying user's entitlements. */
function helperFunctions(catalog: string): Array<readonly [string, string]> {
  const q = (name: string) => quoteQualified(catalog, ENTITLEMENTS_SCHEMA, name);
  const mine = `lower(${id('principal')}) = lower(current_user())`;
  const list = (column: string, from: string, extra = '') =>
    `(SELECT collect_list(${id(column)}) FROM ${q(from)} WHERE ${mine}${extra})`;
  const exists = (from: string, condition: string) =>
    `EXISTS (SELECT 1 FROM ${q(from)} WHERE ${mine} AND ${condition})`;
  const fn = (name: string, params: string, returns: string, body: string) =>
    [
      name,
      `CREATE OR REPLACE FUNCTION ${q(name)}(${params})\n  RETURNS ${returns}\n  RETURN ${body};`,
    ] as const;
  const key = `${id('attribute_key')} = ${id('attr_key')}`;
  return [
    fn('current_groups', '', 'ARRAY<STRING>', list('group_name', 'user_groups')),
    fn(
      'has_attribute',
      `${id('attr_key')} STRING, ${id('attr_value')} STRING`,
      'BOOLEAN',
      exists('user_attributes', `${key} AND ${id('attribute_value')} = ${id('attr_value')}`),
    ),
    fn(
      'attribute_values',
      `${id('attr_key')} STRING`,
      'ARRAY<STRING>',
      list('attribute_value', 'user_attributes', ` AND ${key}`),
    ),
    fn(
      'is_subscribed',
      `${id('ds_id')} STRING`,
      'BOOLEAN',
      exists('user_subscriptions', `${id('data_source_id')} = ${id('ds_id')}`),
    ),
    fn('current_purposes', '', 'ARRAY<STRING>', list('purpose', 'user_purposes')),
  ];
}

function governedCatalogsNote(principal: string, verb: 'GRANT' | 'REVOKE'): string {
  const privileges = 'USE CATALOG, MANAGE, USE SCHEMA, SELECT, MODIFY';
  const statement =
    verb === 'GRANT'
      ? `GRANT ${privileges} ON CATALOG ${id('<governed_catalog>')} TO ${principal};`
      : `REVOKE ${privileges} ON CATALOG ${id('<governed_catalog>')} FROM ${principal};`;
  const lines =
    verb === 'GRANT'
      ? [
          'Governed catalogs: for every catalog whose tables Steward governs, grant the service principal',
          'USE CATALOG and MANAGE on the catalog itself (MANAGE must be set directly on the catalog for row',
          'filters and column masks to apply), and USE SCHEMA, SELECT and MODIFY, which granted on the',
          'catalog are inherited by all its current and future schemas and tables:',
          `  ${statement}`,
          'The service principal must also be a workspace admin.',
        ]
      : [
          'Governed catalogs: revoke what you granted to the service principal on each of them:',
          `  ${statement}`,
        ];
  return note(...lines);
}

function auditGrants(principal: string, verb: 'GRANT' | 'REVOKE'): string[] {
  const to = verb === 'GRANT' ? 'TO' : 'FROM';
  const grants = [
    `${verb} USE CATALOG ON CATALOG ${id('system')} ${to} ${principal};`,
    `${verb} USE SCHEMA ON SCHEMA ${quoteQualified('system', 'access')} ${to} ${principal};`,
    ...AUDIT_TABLES.map(
      (t) => `${verb} SELECT ON TABLE ${quoteQualified('system', 'access', t)} ${to} ${principal};`,
    ),
  ];
  return verb === 'GRANT' ? grants : grants.reverse();
}

function createScript(config: DatabricksScriptConfig): string[] {
  const catalog = config.catalog;
  const principal = id(principalOf(config));
  const schema = quoteQualified(catalog, ENTITLEMENTS_SCHEMA);
  const qualified = (name: string) => quoteQualified(catalog, ENTITLEMENTS_SCHEMA, name);
  const sections: string[][] = [
    [
      note(
        "1. The Steward-owned catalog. Only Steward's service principal uses it: do not grant it to anyone",
        "   else. Row filter and column mask functions run with their owner's rights, so governed users",
        '   need no privilege on it.',
      ),
      `CREATE CATALOG IF NOT EXISTS ${id(catalog)}\n  COMMENT ${quoteLiteral(CATALOG_COMMENT)};`,
      `CREATE SCHEMA IF NOT EXISTS ${schema}\n  COMMENT ${quoteLiteral(SCHEMA_COMMENT)};`,
    ],
    [
      note('2. Entitlement tables, kept in sync by Steward; principal is the Databricks user name.'),
      ...TABLES.map(([name, columns]) => {
        const definition = columns.map((c) => `${id(c)} STRING NOT NULL`).join(', ');
        return `CREATE TABLE IF NOT EXISTS ${qualified(name)} (${definition});`;
      }),
    ],
    [
      note(
        "3. Functions that Steward's row filters and column masks call. Each reads the entitlements of the",
        '   querying user, current_user(), compared without regard to case as Databricks user names are.',
      ),
      ...helperFunctions(catalog).map(([, sql]) => sql),
    ],
    [
      note(
        "4. Nobody but Steward's service principal: it owns the catalog and everything in it. Afterwards,",
        `   SHOW GRANTS ON CATALOG ${id(catalog)} should list no other principal.`,
      ),
      `REVOKE ALL PRIVILEGES ON CATALOG ${id(catalog)} FROM ${id('account users')};`,
      `ALTER SCHEMA ${schema} OWNER TO ${principal};`,
      ...TABLES.map(([name]) => `ALTER TABLE ${qualified(name)} OWNER TO ${principal};`),
      ...helperFunctions(catalog).map(([f]) => `ALTER FUNCTION ${qualified(f)} OWNER TO ${principal};`),
      `ALTER CATALOG ${id(catalog)} OWNER TO ${principal};`,
    ],
  ];
  if (config.audit?.enabled) {
    sections.push([
      note(
        `${sections.length + 1}. Query audit: Steward reads Unity Catalog system tables. The system.access schema must be`,
        '   enabled on the metastore, and this part run by a metastore admin who is also an account admin.',
      ),
      ...auditGrants(principal, 'GRANT'),
    ]);
  }
  sections.push([governedCatalogsNote(principal, 'GRANT')]);
  const about = [
    'Run it once, in the SQL editor on a SQL warehouse, as a metastore admin and account admin',
    'who holds CREATE CATALOG on the metastore.',
  ];
  return [header(config, 'create', about), ...sections.map((s) => s.join('\n'))];
}

function removeScript(config: DatabricksScriptConfig, kind: 'cleanup' | 'delete'): string[] {
  const principal = id(principalOf(config));
  const about =
    kind === 'cleanup'
      ? [
          'Removes what the create script made, for an integration whose creation did not complete.',
          'Run it as a metastore admin.',
        ]
      : [
          'Removes what the create script made, once the integration is deleted in Steward. Delete it in',
          'Steward first: Steward then removes the row filters and column masks it set on governed tables,',
          `which call functions in ${id(config.catalog)}; dropping the catalog while they are set would make those`,
          'tables unreadable. Run it as a metastore admin.',
        ];
  const sections: string[][] = [];
  if (config.audit?.enabled) {
    sections.push([note('1. Query audit grants.'), ...auditGrants(principal, 'REVOKE')]);
  }
  sections.push([
    note(`${sections.length + 1}. The Steward-owned catalog, with its entitlement tables and functions.`),
    `DROP CATALOG IF EXISTS ${id(config.catalog)} CASCADE;`,
  ]);
  sections.push([governedCatalogsNote(principal, 'REVOKE')]);
  return [header(config, kind, about), ...sections.map((s) => s.join('\n'))];
}

/**
 * Returns the Databricks SQL script of an integration: `create` makes the Steward-owned catalog with
 * its entitlement tables and helper functions and grants Steward's service principal what it needs;
 * `cleanup` and `delete` drop the catalog and revoke those grants. Never contains a token or secret.
 */
export function databricksScript(config: DatabricksScriptConfig, kind: ScriptKind): string {
  const parts = kind === 'create' ? createScript(config) : removeScript(config, kind);
  return `${parts.join('\n\n')}\n`;
}
