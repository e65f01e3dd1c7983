import pg from 'pg';
import { AppError, safeErrorMessage } from '../../errors/index.ts';
import { embeddedDatabaseKey, lockEmbedded } from '../embedded-lock.ts';
import type { ConnectionConfig, PlatformSession } from '../platform.ts';
import type { PostgresConnection } from './schemas.ts';

/** An open connection to a governed PostgreSQL database. */
export interface PostgresSession extends PlatformSession {
  readonly client: pg.Client;
  readonly settings: PostgresConnection;
  /** The Steward-owned schema in this database. */
  readonly stewardSchema: string;
}

/**
 * Maps a database to a client config when it is not reached over the network (the embedded demo
 * warehouse); returns undefined for ordinary hosts.
 */
export type EndpointResolver = (connection: PostgresConnection) => pg.ClientConfig | undefined;

const AUTH_CODES = new Set(['28P01', '28000']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

/** Maps a driver error to a platform error whose detail names the cause but no credential. */
export function postgresError(error: unknown, settings: PostgresConnection): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  const where = `${settings.hostname}:${settings.port}`;
  if (AUTH_CODES.has(code)) {
    return new AppError(
      'PLATFORM_AUTH_FAILED',
      `PostgreSQL at ${where} refused the credentials of ${settings.username}.`,
      { cause: error },
    );
  }
  if (NETWORK_CODES.has(code) || /timeout|terminated unexpectedly/i.test(String((error as Error).message))) {
    return new AppError(
      'PLATFORM_UNREACHABLE',
      `Could not reach PostgreSQL at ${where}: ${safeErrorMessage(error, 200)}.`,
      { cause: error },
    );
  }
  if (code === '3D000') {
    return new AppError('PLATFORM_ERROR', `The database ${settings.database} does not exist on ${where}.`, {
      cause: error,
    });
  }
  if (code === '42501') {
    return new AppError(
      'PLATFORM_FORBIDDEN',
      `PostgreSQL denied ${settings.username}: ${safeErrorMessage(error, 200)}.`,
      { cause: error },
    );
  }
  return new AppError('PLATFORM_ERROR', `PostgreSQL at ${where} answered: ${safeErrorMessage(error, 300)}.`, {
    cause: error,
  });
}

/** Returns the settings of a stored PostgreSQL connection. */
export function postgresSettings(config: ConnectionConfig): PostgresConnection {
  return config.connection as unknown as PostgresConnection;
}

/** Returns the Steward-owned schema a connection names (its native integration's, or `steward`). */
export function stewardSchemaOf(config: ConnectionConfig): string {
  const native = config.nativeIntegration as { config?: { schema?: string } } | undefined;
  return native?.config?.schema ?? 'steward';
}

/**
 * Opens a session with the connection's credentials, within a bounded time. A session of an embedded
 * database holds it exclusively until closed (see `lockEmbedded`).
 */
export async function openPostgresSession(
  config: ConnectionConfig,
  resolveEndpoint: EndpointResolver | undefined,
): Promise<PostgresSession> {
  const settings = postgresSettings(config);
  const embedded = resolveEndpoint?.(settings);
  const client = new pg.Client(
    embedded ?? {
      host: settings.hostname,
      port: settings.port,
      database: settings.database,
      user: settings.username,
      password: settings.password,
      ssl:
        settings.ssl === false ? false : settings.ssl === true ? { rejectUnauthorized: true } : settings.ssl,
      connectionTimeoutMillis: 10_000,
      application_name: 'steward',
      statement_timeout: 300_000,
    },
  );
  client.on('error', () => {});
  const release = embedded
    ? await lockEmbedded(embeddedDatabaseKey(settings.hostname, settings.database))
    : () => {};
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    release();
    throw postgresError(error, settings);
  }
  return {
    client,
    settings,
    stewardSchema: stewardSchemaOf(config),
    close: async () => {
      try {
        await client.end();
      } finally {
        release();
      }
    },
  };
}
