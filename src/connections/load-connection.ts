import type { Selectable } from 'kysely';
import { AppError } from '../errors/index.ts';
import type { ConnectionConfig, Platform, PlatformRegistry } from '../platforms/platform.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { ConnectionsTable, Db } from '../store/schema.ts';
import { mergeSecrets, openSecrets } from './credentials.ts';

/** A stored connection row. */
export type ConnectionRow = Selectable<ConnectionsTable>;

/** Loads a connection row, or fails with CONN_NOT_FOUND. */
export async function getConnectionRow(
  db: Db,
  connectionKey: string,
  forUpdate = false,
): Promise<ConnectionRow> {
  let query = db.selectFrom('connections').selectAll().where('connection_key', '=', connectionKey);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new AppError('CONN_NOT_FOUND', `There is no connection ${connectionKey}.`);
  return row;
}

/**
 * Loads the connection a job is about; when it was deleted after the job was queued, records the
 * connection as a skipped item and returns undefined, so the job ends without error.
 */
export async function connectionOfJob(
  db: Db,
  connectionKey: string,
  item: (item: string, status: 'skipped', detail: Record<string, unknown>) => void,
): Promise<ConnectionRow | undefined> {
  try {
    return await getConnectionRow(db, connectionKey);
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONN_NOT_FOUND') {
      item(connectionKey, 'skipped', { reason: 'The connection no longer exists.' });
      return undefined;
    }
    throw error;
  }
}

/** Returns the platform of a technology, or fails with TECHNOLOGY_UNSUPPORTED. */
export function platformOf(platforms: PlatformRegistry, technology: string): Platform {
  const platform = platforms.get(technology);
  if (!platform)
    throw new AppError('TECHNOLOGY_UNSUPPORTED', `Steward does not support the technology ${technology}.`);
  return platform;
}

/** Rebuilds a connection's full configuration, secrets decrypted, for the moment a platform needs it. */
export function connectionConfig(keyring: Keyring, row: ConnectionRow): ConnectionConfig {
  const secrets = openSecrets(keyring, row.connection_key, row.secrets);
  const merged = mergeSecrets(
    { connection: row.connection, nativeIntegration: row.native_integration ?? undefined },
    secrets,
  );
  return {
    connectionKey: row.connection_key,
    connection: merged.connection,
    nativeIntegration: (merged.nativeIntegration ?? undefined) as Record<string, unknown> | undefined,
  };
}
