import type { ConnectionConfig, PlatformSession } from '../platform.ts';
import { authFor } from './auth.ts';
import { createDatabricksClient, type DatabricksClient } from './http.ts';
import {
  type DatabricksConnection,
  type DatabricksNativeIntegration,
  databricksConnectionSchema,
  databricksNativeIntegrationSchema,
  parsePayload,
  warehouseIdOf,
} from './schemas.ts';
import type { Transport } from './transport.ts';

/**
 * Options of the Databricks platform that never come from a payload. `scheme: 'http'` exists for
 * tests against a local simulated workspace; production code leaves it at https.
 */
export interface DatabricksPlatformOptions {
  readonly scheme?: 'https' | 'http';
  readonly fetch?: typeof fetch;
  /** Attempts per REST request on 429/503 (default 5). */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How long one REST request may take (default 60 s; statements wait up to 30 s server-side). */
  readonly requestTimeoutMs?: number;
  /** The first pause between statement status polls (default 250 ms, growing to 2 s). */
  readonly pollIntervalMs?: number;
  /** How long a statement may run before Steward cancels it (default 10 min). */
  readonly statementTimeoutMs?: number;
  /** `max_results` of catalog, schema and table listings; 0 lets the server choose (recommended). */
  readonly pageSize?: number;
  readonly now?: () => number;
}

/** The platform options with every default filled in. */
export interface DatabricksSettings {
  readonly scheme: 'https' | 'http';
  readonly transport: Transport;
  readonly pollIntervalMs: number;
  readonly statementTimeoutMs: number;
  readonly pageSize: number;
  readonly now: () => number;
}

/** Fills in the defaults of the platform options. */
export function databricksSettings(options: DatabricksPlatformOptions = {}): DatabricksSettings {
  return {
    scheme: options.scheme ?? 'https',
    transport: {
      fetch: options.fetch ?? globalThis.fetch,
      attempts: options.attempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      timeoutMs: options.requestTimeoutMs ?? 60_000,
    },
    pollIntervalMs: options.pollIntervalMs ?? 250,
    statementTimeoutMs: options.statementTimeoutMs ?? 600_000,
    pageSize: options.pageSize ?? 0,
    now: options.now ?? Date.now,
  };
}

/** An open session on a Databricks workspace: its REST client, SQL warehouse and Steward catalog. */
export interface DatabricksSession extends PlatformSession {
  readonly client: DatabricksClient;
  readonly settings: DatabricksSettings;
  readonly connection: DatabricksConnection;
  readonly nativeIntegration: DatabricksNativeIntegration | undefined;
  /** The SQL warehouse the `httpPath` names; undefined for a cluster path. */
  readonly warehouseId: string | undefined;
  /** The Steward-owned catalog (`nativeIntegration.config.catalog`). */
  readonly stewardCatalog: string | undefined;
  /** The user name of the principal the credentials belong to, as SCIM `Me` reports it. */
  readonly principal: string;
}

/** Validates a stored connection's payloads again, filling in defaults; throws REQUEST_INVALID naming the field. */
export function parseConfig(config: ConnectionConfig): {
  connection: DatabricksConnection;
  nativeIntegration: DatabricksNativeIntegration | undefined;
} {
  return {
    connection: parsePayload(databricksConnectionSchema, config.connection, ['connection']),
    nativeIntegration:
      config.nativeIntegration === undefined
        ? undefined
        : parsePayload(databricksNativeIntegrationSchema, config.nativeIntegration, ['nativeIntegration']),
  };
}

/** Returns the workspace origin a connection names, e.g. `https://dbc-1234.cloud.databricks.com:443`. */
export function originOf(connection: DatabricksConnection, settings: DatabricksSettings): string {
  return `${settings.scheme}://${connection.hostname}:${connection.port}`;
}

/** Creates an authenticated REST client for a connection, without calling the workspace yet. */
export function clientFor(connection: DatabricksConnection, settings: DatabricksSettings): DatabricksClient {
  const origin = originOf(connection, settings);
  const auth = authFor(connection, {
    transport: settings.transport,
    defaultTokenEndpoint: `${origin}/oidc/v1/token`,
    allowHttp: settings.scheme === 'http',
    now: settings.now,
  });
  return createDatabricksClient(origin, auth, settings.transport);
}

/** The path of the SCIM call that returns the caller's own identity. */
export const SCIM_ME_PATH = '/api/2.0/preview/scim/v2/Me';

/**
 * Opens a session: checks the credentials by asking the workspace who they belong to. Throws
 * PLATFORM_UNREACHABLE, PLATFORM_AUTH_FAILED or PLATFORM_FORBIDDEN with a clear cause.
 */
export async function openSession(
  config: ConnectionConfig,
  settings: DatabricksSettings,
  signal?: AbortSignal,
): Promise<DatabricksSession> {
  const { connection, nativeIntegration } = parseConfig(config);
  const client = clientFor(connection, settings);
  const me = await client.get<{ userName?: unknown }>(SCIM_ME_PATH, undefined, signal);
  return {
    client,
    settings,
    connection,
    nativeIntegration,
    warehouseId: warehouseIdOf(connection.httpPath),
    stewardCatalog: nativeIntegration?.config.catalog,
    principal: typeof me.userName === 'string' ? me.userName : '',
    close: async () => {},
  };
}
