import { type Selectable, sql } from 'kysely';
import { recordAudit } from '../../audit/record.ts';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from '../../auth/api-key.ts';
import { type Actor, hasPermission } from '../../domain/actor.ts';
import { AppError } from '../../errors/index.ts';
import type { ApiKeysTable, Db } from '../../store/schema.ts';
import type { ServiceContext } from '../context.ts';
import { getUser } from './user-view.ts';

/** An API key as listings show it: never the key itself. */
export interface ApiKeyView {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

type KeyRow = Selectable<ApiKeysTable>;

function view(row: KeyRow): ApiKeyView {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** Returns true when the actor may manage the keys of the given user (their own, or as USER_ADMIN). */
export function mayManageKeysOf(actor: Actor, userId: number): boolean {
  return (actor.type === 'USER_ACTOR' && actor.id === userId) || hasPermission(actor, 'USER_ADMIN');
}

function forbidden(): AppError {
  return new AppError(
    'AUTH_FORBIDDEN',
    "Managing another user's API keys requires the USER_ADMIN permission.",
    {
      extensions: { requiredPermissions: ['USER_ADMIN'] },
    },
  );
}

/**
 * Issues a key for a user in the given transaction and returns it with the one-time plaintext. Only
 * its hash is stored. Used by the API and by the bootstrap of the first administrator.
 */
export async function issueApiKey(
  db: Db,
  userId: number,
  name: string,
  expiresAt: Date | null,
): Promise<ApiKeyView & { key: string }> {
  const key = generateApiKey();
  const row = await db
    .insertInto('api_keys')
    .values({
      user_id: userId,
      name,
      prefix: apiKeyDisplayPrefix(key),
      hash: hashApiKey(key),
      expires_at: expiresAt,
      revoked_at: null,
      last_used_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...view(row), key };
}

/** Creates an API key for the actor (or, for a USER_ADMIN, for another user); the key is shown once. */
export async function createApiKey(
  ctx: ServiceContext,
  input: {
    readonly userId?: number | undefined;
    readonly name: string;
    readonly expiresAt?: Date | undefined;
  },
): Promise<ApiKeyView & { key: string }> {
  const userId = input.userId ?? (ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : undefined);
  if (userId === undefined) throw forbidden();
  if (!mayManageKeysOf(ctx.actor, userId)) throw forbidden();
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const user = await getUser(trx, userId);
    const created = await issueApiKey(trx, user.id, input.name, input.expiresAt ?? null);
    await recordAudit(trx, ctx, {
      action: 'ApiKeyCreated',
      targets: [
        { type: 'apikey', id: String(created.id), name: created.name },
        { type: 'user', id: String(user.id), name: user.username },
      ],
      payload: { prefix: created.prefix, expiresAt: created.expiresAt },
    });
    return created;
  });
}

/** Lists a user's API keys, newest first, as one page (`size + 1` rows fetched). */
export async function listApiKeys(
  ctx: ServiceContext,
  userId: number,
  offset: number,
  size: number,
): Promise<ApiKeyView[]> {
  if (!mayManageKeysOf(ctx.actor, userId)) throw forbidden();
  const rows = await ctx.deps.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .offset(offset)
    .limit(size + 1)
    .execute();
  return rows.map(view);
}

/** Revokes an API key at once; the next request with it is refused. */
export async function revokeApiKey(ctx: ServiceContext, id: number): Promise<ApiKeyView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    // A key of someone else is reported as absent to a non-admin, so ids reveal nothing.
    if (!row || !mayManageKeysOf(ctx.actor, row.user_id)) {
      throw new AppError('APIKEY_NOT_FOUND', `There is no API key with id ${id}.`);
    }
    const updated = await trx
      .updateTable('api_keys')
      .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'ApiKeyRevoked',
      targets: [
        { type: 'apikey', id: String(id), name: row.name },
        { type: 'user', id: String(row.user_id) },
      ],
      payload: { prefix: row.prefix },
    });
    return view(updated);
  });
}
