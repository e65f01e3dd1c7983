import type { z } from 'zod';
import { openSecrets, redactedView } from '../../../connections/credentials.ts';
import { type ConnectionRow, getConnectionRow } from '../../../connections/load-connection.ts';
import type { Keyring } from '../../../secrets/keyring.ts';
import type { Db } from '../../../store/schema.ts';
import type { connectionViewSchema } from '../../schemas/connections.ts';

/** A connection as the API shows it. */
export type ConnectionView = z.infer<typeof connectionViewSchema>;

async function person(db: Db, id: number | null) {
  if (id === null) return null;
  const u = await db
    .selectFrom('users')
    .select(['id', 'username', 'email'])
    .where('id', '=', id)
    .executeTakeFirst();
  return u ? { id: u.id, name: u.username, email: u.email } : null;
}

/** Builds the view of a stored connection: every secret shown as `[REDACTED]`, with who made and changed it. */
export async function viewConnection(db: Db, keyring: Keyring, row: ConnectionRow): Promise<ConnectionView> {
  const secrets = openSecrets(keyring, row.connection_key, row.secrets);
  const shown = redactedView(
    { connection: row.connection, nativeIntegration: row.native_integration },
    secrets,
  );
  const root = await db
    .selectFrom('data_objects')
    .select('activate_new_children_override')
    .where('connection_key', '=', row.connection_key)
    .where('kind', '=', 'connection')
    .executeTakeFirst();
  return {
    connectionKey: row.connection_key,
    connection: shown.connection,
    settings: { isActive: root?.activate_new_children_override ?? true },
    options: {
      forceRecursiveCrawl: (row.options as { forceRecursiveCrawl?: boolean }).forceRecursiveCrawl === true,
    },
    nativeIntegration: (shown.nativeIntegration as Record<string, unknown> | null) ?? null,
    nativeIntegrationId: row.integration_id,
    lastSyncedAt: row.last_synced_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
    creator: await person(db, row.created_by),
    updater: await person(db, row.updated_by),
  };
}

/** `GET /data/connection/{key}`. */
export async function getConnection(
  db: Db,
  keyring: Keyring,
  connectionKey: string,
): Promise<ConnectionView> {
  return viewConnection(db, keyring, await getConnectionRow(db, connectionKey));
}
