import { homedir } from 'node:os';
import { resolve } from 'node:path';

/** How the server runs; resolved once from flags and environment by the entry point. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** A PostgreSQL URL for the metadata store; embedded PGlite in the data directory when absent. */
  readonly databaseUrl: string | undefined;
  /** `STEWARD_SECRET_KEY`; a key file in the data directory when absent. */
  readonly secretKey: string | undefined;
  readonly logLevel: string;
  readonly bodyLimit: number;
  readonly workers: number;
  /** How long shutdown waits for running jobs before handing them back. */
  readonly shutdownGraceMs: number;
  /** How often every connection is synced on its own, in seconds; 0 turns scheduled sync off. */
  readonly syncIntervalSeconds: number;
  /** How often every connection's enforcement is checked and drift repaired (0: only after changes and syncs). */
  readonly enforceIntervalSeconds: number;
  /** Whether to run the embedded demo warehouse (default: with the embedded store only). */
  readonly demo: boolean;
}

function boolOf(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new Error(`${name} must be true or false; got ${JSON.stringify(text)}.`);
}

function intOf(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(text)}.`);
  }
  return value;
}

/** Flags given to `steward server`. */
export interface ServerFlags {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
}

/** Resolves the server configuration: flags first, then `STEWARD_*` variables, then defaults. */
export function resolveServerConfig(flags: ServerFlags, env: NodeJS.ProcessEnv): ServerConfig {
  const dataDir = flags.dataDir ?? env['STEWARD_DATA_DIR'] ?? './.steward';
  return {
    port: intOf('--port / STEWARD_PORT', flags.port ?? env['STEWARD_PORT'], 8080, 0, 65535),
    host: flags.host ?? env['STEWARD_HOST'] ?? '0.0.0.0',
    dataDir: resolve(dataDir.replace(/^~(?=$|\/)/, homedir())),
    databaseUrl: env['STEWARD_DATABASE_URL'] || undefined,
    secretKey: env['STEWARD_SECRET_KEY'] || undefined,
    logLevel: env['STEWARD_LOG_LEVEL'] ?? 'info',
    bodyLimit: intOf('STEWARD_BODY_LIMIT', env['STEWARD_BODY_LIMIT'], 1024 * 1024, 1024, 1024 * 1024 * 1024),
    workers: intOf('STEWARD_WORKERS', env['STEWARD_WORKERS'], 4, 0, 64),
    shutdownGraceMs: intOf('STEWARD_SHUTDOWN_GRACE_MS', env['STEWARD_SHUTDOWN_GRACE_MS'], 10_000, 0, 600_000),
    syncIntervalSeconds: intOf('STEWARD_SYNC_INTERVAL', env['STEWARD_SYNC_INTERVAL'], 3600, 0, 30 * 86_400),
    enforceIntervalSeconds: intOf(
      'STEWARD_ENFORCE_INTERVAL',
      env['STEWARD_ENFORCE_INTERVAL'],
      300,
      0,
      86_400,
    ),
    demo: boolOf('STEWARD_DEMO', env['STEWARD_DEMO'], !env['STEWARD_DATABASE_URL']),
  };
}
