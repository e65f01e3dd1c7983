import {
  createDatabricksPlatform,
  type DatabricksPlatformOptions,
} from '../../../src/platforms/databricks/index.ts';
import type { ConnectionConfig } from '../../../src/platforms/platform.ts';
import type { FakeDatabricks } from './fake-databricks.ts';

/** The personal access token the simulated workspace accepts. */
export const PAT = 'dapi0123456789abcdef0123456789abcd';
/** The service principal the PAT and OAuth client belong to. */
export const PRINCIPAL = '9f0c2a5e-1111-4a4a-8b8b-123456789abc';
/** The OAuth client of the service principal (its ID is the application ID). */
export const CLIENT_ID = PRINCIPAL;
export const CLIENT_SECRET = 'dose0123456789abcdefSECRET';

type Auth = 'token' | 'oAuthM2M';

/** The credentials part of a payload. */
export function credentials(auth: Auth): Record<string, unknown> {
  return auth === 'token'
    ? { authenticationType: 'token', token: PAT }
    : {
        authenticationType: 'oAuthM2M',
        oAuthClientConfig: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      };
}

/** A `connection` payload for a workspace (the simulated one when given, else a public-looking host). */
export function connectionPayload(auth: Auth, fake?: FakeDatabricks): Record<string, unknown> {
  return {
    technology: 'Databricks',
    hostname: fake ? '127.0.0.1' : 'dbc-1234.cloud.databricks.com',
    port: fake ? fake.port : 443,
    httpPath: '/sql/1.0/warehouses/wh1',
    ...credentials(auth),
  };
}

/** A `nativeIntegration` payload matching `connectionPayload`. */
export function nativeIntegrationPayload(
  auth: Auth,
  fake?: FakeDatabricks,
  options: { catalog?: string; audit?: boolean } = {},
): Record<string, unknown> {
  return {
    type: 'Databricks',
    autoBootstrap: false,
    unityCatalog: true,
    config: {
      host: fake ? '127.0.0.1' : 'dbc-1234.cloud.databricks.com',
      port: fake ? fake.port : 443,
      catalog: options.catalog ?? 'steward',
      audit: { enabled: options.audit ?? true },
      ...credentials(auth),
    },
  };
}

/** A stored connection pointing at the simulated workspace. */
export function connectionConfig(
  fake: FakeDatabricks,
  auth: Auth = 'token',
  options: { catalog?: string; audit?: boolean; connection?: Record<string, unknown> } = {},
): ConnectionConfig {
  return {
    connectionKey: 'dbx',
    connection: { ...connectionPayload(auth, fake), ...options.connection },
    nativeIntegration: nativeIntegrationPayload(auth, fake, options),
  };
}

/** The platform as tests use it: plain http to 127.0.0.1, fast retries and polls. */
export function testPlatform(options: DatabricksPlatformOptions = {}) {
  return createDatabricksPlatform({
    scheme: 'http',
    baseDelayMs: 5,
    maxDelayMs: 2000,
    pollIntervalMs: 5,
    requestTimeoutMs: 5000,
    ...options,
  });
}

/**
 * Seeds the simulated workspace: the PAT and OAuth client of the service principal, the Steward
 * catalog it owns, and the catalogs Databricks always has.
 */
export function seedWorkspace(fake: FakeDatabricks): void {
  fake.pats.set(PAT, PRINCIPAL);
  fake.oauthClients.set(CLIENT_ID, { secret: CLIENT_SECRET, principal: PRINCIPAL });
  fake.addCatalog('steward', { owner: PRINCIPAL });
  fake.addCatalog('system', { catalogType: 'SYSTEM_CATALOG', owner: 'System user' });
  fake.addCatalog('samples', { catalogType: 'DELTASHARING_CATALOG', owner: 'System user' });
}
