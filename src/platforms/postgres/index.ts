import { fieldError } from '../../errors/index.ts';
import type { Platform } from '../platform.ts';
import { listSchemas, readTables } from './catalog.ts';
import { samplePostgresHits, samplePostgresValues } from './discovery.ts';
import { enforcePostgres } from './enforce.ts';
import { syncPostgresEntitlements } from './entitlements.ts';
import {
  type PostgresConnection,
  type PostgresNativeIntegration,
  type PostgresScriptConfig,
  postgresConnectionSchema,
  postgresNativeIntegrationSchema,
  postgresScriptConfigSchema,
} from './schemas.ts';
import { postgresScript } from './script.ts';
import {
  type EndpointResolver,
  openPostgresSession,
  type PostgresSession,
  postgresSettings,
} from './session.ts';
import { validatePostgres } from './validate.ts';

export { quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';
export type { EndpointResolver, PostgresSession } from './session.ts';

/** Options of the PostgreSQL platform: how to reach databases that are not on the network. */
export interface PostgresPlatformOptions {
  readonly resolveEndpoint?: EndpointResolver;
}

/** Creates the PostgreSQL platform (executed for real: a PostgreSQL server, or embedded PGlite). */
export function createPostgresPlatform(options: PostgresPlatformOptions = {}): Platform<PostgresSession> {
  return {
    technology: 'PostgreSQL',
    capabilities: { multipleDatabases: false, queryAudit: false, nativeIntegrationOptional: true },
    connectionSchema: postgresConnectionSchema,
    nativeIntegrationSchema: postgresNativeIntegrationSchema,
    scriptConfigSchema: postgresScriptConfigSchema,
    defaultPort: 5432,
    checkConsistency({ connection, nativeIntegration }) {
      if (!nativeIntegration) return [];
      const c = connection as unknown as PostgresConnection;
      const n = (nativeIntegration as unknown as PostgresNativeIntegration).config;
      const pairs: Array<[keyof PostgresConnection, keyof typeof n, unknown, unknown]> = [
        ['hostname', 'host', c.hostname.toLowerCase(), n.host.toLowerCase()],
        ['port', 'port', c.port, n.port],
        ['database', 'database', c.database, n.database],
        ['authenticationType', 'authenticationType', c.authenticationType, n.authenticationType],
        ['username', 'username', c.username, n.username],
      ];
      return pairs
        .filter(([, , a, b]) => a !== b)
        .flatMap(([cf, nf]) => [
          fieldError('body', ['connection', cf], `must equal nativeIntegration.config.${String(nf)}`),
          fieldError('body', ['nativeIntegration', 'config', nf], `must equal connection.${String(cf)}`),
        ]);
    },
    describe({ connection, nativeIntegration }) {
      const c = connection as unknown as PostgresConnection;
      const n = nativeIntegration as unknown as PostgresNativeIntegration | undefined;
      return {
        host: `${c.hostname}:${c.port}/${c.database}`,
        stewardNamespace: n?.config.schema ?? 'steward',
      };
    },
    describeScript(config) {
      const c = config as unknown as PostgresScriptConfig;
      return { host: `${c.host}:${c.port}/${c.database}`, stewardNamespace: c.schema };
    },
    integrationScript: (config, kind) => postgresScript(config as unknown as PostgresScriptConfig, kind),
    removalScript({ connection, nativeIntegration }) {
      const c = connection as unknown as PostgresConnection;
      const n = nativeIntegration as unknown as PostgresNativeIntegration | undefined;
      return postgresScript(
        {
          host: c.hostname,
          port: c.port,
          database: c.database,
          schema: n?.config.schema ?? 'steward',
          username: c.username,
        },
        'delete',
      );
    },
    connect: (config) => openPostgresSession(config, options.resolveEndpoint),
    validate: (config) => validatePostgres(config, options.resolveEndpoint),
    listDatabases: async (session) => [session.settings.database],
    listSchemas: (session) => listSchemas(session),
    readTables: (session, database, schemas) => readTables(session, database, schemas),
    syncEntitlements: (session, rows, signal) => syncPostgresEntitlements(session, rows, signal),
    enforce: (session, targets, options, signal) => enforcePostgres(session, targets, options, signal),
    sampleHits: (session, request, signal) => samplePostgresHits(session, request, signal),
    sampleValues: (session, request, signal) => samplePostgresValues(session, request, signal),
  };
}

/** Returns the settings of a connection as the PostgreSQL platform reads them. */
export { postgresSettings };
