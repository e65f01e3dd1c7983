import { sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import { isPermission } from '../domain/permission.ts';
import type { Db } from '../store/schema.ts';
import { hashApiKey, isWellFormedApiKey } from './api-key.ts';

/** Why a presented key was refused; recorded in the audit log, never shown beyond "invalid". */
export type AuthFailure = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'user_disabled';

/** The outcome of checking an API key. */
export type AuthResult =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly reason: AuthFailure };

/** Checks an API key against the store and returns the user it acts for, with their permissions. */
export async function authenticateApiKey(db: Db, key: string, now: Date = new Date()): Promise<AuthResult> {
  if (!isWellFormedApiKey(key)) return { ok: false, reason: 'malformed' };
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .select([
      'k.id as keyId',
      'k.expires_at',
      'k.revoked_at',
      'k.last_used_at',
      'u.id as userId',
      'u.username',
      'u.state',
      'u.permissions',
    ])
    .where('k.hash', '=', hashApiKey(key))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime())
    return { ok: false, reason: 'expired' };
  if (row.state !== 'active') return { ok: false, reason: 'user_disabled' };
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() > 60_000) {
    // Usage time is kept to the minute, so a busy key does not write on every request.
    await db
      .updateTable('api_keys')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', row.keyId)
      .execute();
  }
  return {
    ok: true,
    actor: {
      type: 'USER_ACTOR',
      id: row.userId,
      name: row.username,
      permissions: row.permissions.filter(isPermission),
      apiKeyId: row.keyId,
    },
  };
}
