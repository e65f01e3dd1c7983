export { EXCLUDED_CATALOG_TYPES, EXCLUDED_CATALOGS, EXCLUDED_SCHEMAS } from './catalog.ts';
export { createDatabricksPlatform, databricksPlatform } from './databricks-platform.ts';
export { quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';
export type { DatabricksConnection, DatabricksNativeIntegration, DatabricksScriptConfig } from './schemas.ts';
export { ENTITLEMENTS_SCHEMA, PRINCIPAL_PLACEHOLDER } from './script.ts';
export type { DatabricksPlatformOptions, DatabricksSession } from './session.ts';
export {
  executeStatement,
  type StatementOptions,
  type StatementParameter,
  type StatementResult,
} from './statements.ts';
