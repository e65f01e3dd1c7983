import type { Platform } from '../platform.ts';
import { listCatalogs, listSchemas, readTables } from './catalog.ts';
import { checkConsistency, describe, describeScript } from './consistency.ts';
import { sampleDatabricksHits, sampleDatabricksValues } from './discovery.ts';
import { syncDatabricksEntitlements } from './entitlements.ts';
import {
  databricksConnectionSchema,
  databricksNativeIntegrationSchema,
  databricksScriptConfigSchema,
  parsePayload,
} from './schemas.ts';
import { databricksScript } from './script.ts';
import {
  type DatabricksPlatformOptions,
  type DatabricksSession,
  databricksSettings,
  openSession,
} from './session.ts';
import { validateDatabricks } from './validate.ts';

/**
 * Creates the Databricks Unity Catalog platform: REST catalog crawl, SQL Statement Execution on the
 * warehouse in `httpPath`, PAT or OAuth M2M auth. Options are for tests (a local http workspace,
 * fast retries and polls); production uses the defaults.
 */
export function createDatabricksPlatform(
  options: DatabricksPlatformOptions = {},
): Platform<DatabricksSession> {
  const settings = databricksSettings(options);
  return {
    technology: 'Databricks',
    capabilities: { multipleDatabases: true, queryAudit: true },
    connectionSchema: databricksConnectionSchema,
    nativeIntegrationSchema: databricksNativeIntegrationSchema,
    scriptConfigSchema: databricksScriptConfigSchema,
    defaultPort: 443,
    checkConsistency,
    describe,
    describeScript,
    integrationScript: (config, kind) =>
      databricksScript(parsePayload(databricksScriptConfigSchema, config, ['config']), kind),
    removalScript({ connection, nativeIntegration }) {
      const c = connection as {
        hostname: string;
        httpPath: string;
        authenticationType: string;
        oAuthClientConfig?: Record<string, unknown>;
      };
      const n = (nativeIntegration?.['config'] ?? {}) as { catalog?: string; audit?: { enabled: boolean } };
      // The stored parts hold no secrets; the removal script needs none, so placeholders stand in.
      const credentials =
        c.authenticationType === 'oAuthM2M'
          ? {
              authenticationType: 'oAuthM2M',
              oAuthClientConfig: { ...c.oAuthClientConfig, clientSecret: 'unused' },
            }
          : { authenticationType: 'token', token: 'unused' };
      const config = {
        workspaceUrl: c.hostname,
        httpPath: c.httpPath,
        catalog: n.catalog,
        audit: n.audit,
        ...credentials,
      };
      return databricksScript(parsePayload(databricksScriptConfigSchema, config, ['config']), 'delete');
    },
    connect: (config, signal) => openSession(config, settings, signal),
    validate: (config, signal) => validateDatabricks(config, settings, signal),
    listDatabases: (session, signal) => listCatalogs(session, signal),
    listSchemas: (session, database, signal) => listSchemas(session, database, signal),
    readTables: (session, database, schemas, signal) => readTables(session, database, schemas, signal),
    syncEntitlements: (session, rows, signal) => syncDatabricksEntitlements(session, rows, signal),
    sampleHits: (session, request, signal) => sampleDatabricksHits(session, request, signal),
    sampleValues: (session, request, signal) => sampleDatabricksValues(session, request, signal),
  };
}

/** The Databricks platform with production settings (https, 5 attempts, 60 s requests). */
export const databricksPlatform: Platform<DatabricksSession> = createDatabricksPlatform();
