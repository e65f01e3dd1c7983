import { type FieldError, fieldError } from '../../errors/index.ts';
import {
  type DatabricksCredentials,
  databricksConnectionSchema,
  databricksNativeIntegrationSchema,
  databricksScriptConfigSchema,
} from './schemas.ts';

/** A connection payload's two halves, as the platform interface passes them. */
export interface ConnectionPayload {
  readonly connection: Record<string, unknown>;
  readonly nativeIntegration: Record<string, unknown> | undefined;
}

type Path = readonly string[];

function credentialPairs(
  c: DatabricksCredentials,
  n: DatabricksCredentials,
): Array<[Path, Path, unknown, unknown]> {
  if (c.authenticationType === 'token' && n.authenticationType === 'token') {
    return [[['token'], ['token'], c.token, n.token]];
  }
  if (c.authenticationType === 'oAuthM2M' && n.authenticationType === 'oAuthM2M') {
    const a = c.oAuthClientConfig;
    const b = n.oAuthClientConfig;
    return [
      [['oAuthClientConfig', 'clientId'], ['oAuthClientConfig', 'clientId'], a.clientId, b.clientId],
      [
        ['oAuthClientConfig', 'clientSecret'],
        ['oAuthClientConfig', 'clientSecret'],
        a.clientSecret,
        b.clientSecret,
      ],
    ];
  }
  return [];
}

/**
 * Returns a field error on each side of every value that must agree between `connection` and
 * `nativeIntegration.config`: host, port, authentication type and credentials. Never names a
 * credential's value. Empty when consistent, or when a half is missing or invalid (its own schema
 * reports that).
 */
export function checkConsistency(payload: ConnectionPayload): FieldError[] {
  const c = databricksConnectionSchema.safeParse(payload.connection);
  const n = databricksNativeIntegrationSchema.safeParse(payload.nativeIntegration);
  if (!c.success || !n.success) return [];
  const conn = c.data;
  const config = n.data.config;
  const pairs: Array<[Path, Path, unknown, unknown]> = [
    [['hostname'], ['host'], conn.hostname, config.host],
    [['port'], ['port'], conn.port, config.port],
    [['authenticationType'], ['authenticationType'], conn.authenticationType, config.authenticationType],
    ...credentialPairs(conn, config),
  ];
  return pairs
    .filter(([, , a, b]) => a !== b)
    .flatMap(([cp, np]) => [
      fieldError('body', ['connection', ...cp], `must equal nativeIntegration.config.${np.join('.')}`),
      fieldError('body', ['nativeIntegration', 'config', ...np], `must equal connection.${cp.join('.')}`),
    ]);
}

/** Returns the workspace host and Steward-owned catalog a connection payload names. */
export function describe(payload: ConnectionPayload): { host: string; stewardNamespace: string | undefined } {
  const c = databricksConnectionSchema.safeParse(payload.connection);
  const n = databricksNativeIntegrationSchema.safeParse(payload.nativeIntegration);
  const host = c.success ? c.data.hostname : String(payload.connection.hostname ?? '');
  return { host, stewardNamespace: n.success ? n.data.config.catalog : undefined };
}

/** Returns the workspace host and Steward-owned catalog a script config names. */
export function describeScript(config: Record<string, unknown>): { host: string; stewardNamespace: string } {
  const parsed = databricksScriptConfigSchema.safeParse(config);
  if (parsed.success) return { host: parsed.data.workspaceUrl, stewardNamespace: parsed.data.catalog };
  return { host: String(config.workspaceUrl ?? ''), stewardNamespace: String(config.catalog ?? '') };
}
