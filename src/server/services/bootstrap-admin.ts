import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { recordAudit } from '../../audit/record.ts';
import { SYSTEM_ACTOR } from '../../domain/actor.ts';
import { PERMISSIONS } from '../../domain/permission.ts';
import type { Database, Db } from '../../store/schema.ts';
import { issueApiKey } from './api-keys.ts';

/** The username of the administrator created on the first start. */
export const BOOTSTRAP_USERNAME = 'admin';

/**
 * On the first start (no users yet) creates the bootstrap administrator with every permission and one
 * API key, audited as done by Steward itself. Returns the key, or undefined when users already exist.
 * Safe when several processes start at once: an advisory lock lets exactly one create it.
 */
export async function bootstrapAdmin(db: Kysely<Database>): Promise<string | undefined> {
  return db.transaction().execute(async (trx: Db) => {
    await sql`SELECT pg_advisory_xact_lock(7365, 1)`.execute(trx);
    const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) return undefined;
    const user = await trx
      .insertInto('users')
      .values({
        username: BOOTSTRAP_USERNAME,
        name: 'Bootstrap administrator',
        email: null,
        state: 'active',
        permissions: [...PERMISSIONS],
      })
      .returning(['id', 'username'])
      .executeTakeFirstOrThrow();
    const key = await issueApiKey(trx, user.id, 'bootstrap', null);
    const ctx = { actor: SYSTEM_ACTOR };
    await recordAudit(trx, ctx, {
      action: 'UserCreated',
      targets: [{ type: 'user', id: String(user.id), name: user.username }],
      payload: { username: user.username, permissions: [...PERMISSIONS], bootstrap: true },
    });
    await recordAudit(trx, ctx, {
      action: 'ApiKeyCreated',
      targets: [
        { type: 'apikey', id: String(key.id), name: key.name },
        { type: 'user', id: String(user.id), name: user.username },
      ],
      payload: { prefix: key.prefix, expiresAt: null, bootstrap: true },
    });
    return key.key;
  });
}
