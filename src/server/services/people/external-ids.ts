import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { bumpUser, loadUserRow } from './user-view.ts';

/** How a user maps to a platform principal: a named one, none (not on the platform), or unset. */
export type ExternalIdMapping =
  | { readonly mode: 'explicit'; readonly principal: string }
  | { readonly mode: 'none' }
  | { readonly mode: 'unset' };

/** A user's mapping on one connection, with the principal entitlements are synced for. */
export interface ExternalIdView {
  readonly connectionKey: string;
  readonly mode: 'explicit' | 'none' | 'unset';
  readonly principal: string | null;
  readonly effectivePrincipal: string | null;
}

type MappingRow = { readonly mode: 'explicit' | 'none'; readonly principal: string | null } | undefined;

function view(connectionKey: string, username: string, row: MappingRow): ExternalIdView {
  if (!row) return { connectionKey, mode: 'unset', principal: null, effectivePrincipal: username };
  if (row.mode === 'none') return { connectionKey, mode: 'none', principal: null, effectivePrincipal: null };
  return { connectionKey, mode: 'explicit', principal: row.principal, effectivePrincipal: row.principal };
}

async function requireConnection(db: Db, connectionKey: string): Promise<void> {
  const row = await db
    .selectFrom('connections')
    .select('connection_key')
    .where('connection_key', '=', connectionKey)
    .executeTakeFirst();
  if (!row) throw new AppError('CONN_NOT_FOUND', `There is no connection ${connectionKey}.`);
}

/** Lists a user's mapping on every connection, by connection key. */
export async function listExternalIds(db: Db, userId: number): Promise<ExternalIdView[]> {
  const user = await loadUserRow(db, userId);
  const rows = await db
    .selectFrom('connections as c')
    .leftJoin('external_user_ids as x', (join) =>
      join.onRef('x.connection_key', '=', 'c.connection_key').on('x.user_id', '=', userId),
    )
    .select(['c.connection_key', 'x.mode', 'x.principal'])
    .orderBy('c.connection_key')
    .execute();
  return rows.map((r) =>
    view(r.connection_key, user.username, r.mode ? { mode: r.mode, principal: r.principal } : undefined),
  );
}

/** Returns a user's mapping on one connection; CONN_NOT_FOUND for an unknown connection. */
export async function getExternalId(db: Db, userId: number, connectionKey: string): Promise<ExternalIdView> {
  const user = await loadUserRow(db, userId);
  await requireConnection(db, connectionKey);
  const row = await db
    .selectFrom('external_user_ids')
    .select(['mode', 'principal'])
    .where('user_id', '=', userId)
    .where('connection_key', '=', connectionKey)
    .executeTakeFirst();
  return view(connectionKey, user.username, row);
}

/**
 * Refuses an explicit principal another user already maps to on the connection, by an explicit
 * mapping or by the username fallback (case-insensitively, as platforms such as Databricks compare).
 */
async function requirePrincipalFree(db: Db, userId: number, connectionKey: string, principal: string) {
  const lower = principal.toLowerCase();
  const other = await db
    .selectFrom('users as u')
    .leftJoin('external_user_ids as x', (join) =>
      join.onRef('x.user_id', '=', 'u.id').on('x.connection_key', '=', connectionKey),
    )
    .select('u.username')
    .where('u.id', '<>', userId)
    .where((eb) =>
      eb.or([
        eb.and([eb('x.mode', '=', 'explicit'), eb(sql`lower(x.principal)`, '=', lower)]),
        eb.and([eb('x.mode', 'is', null), eb(sql`lower(u.username)`, '=', lower)]),
      ]),
    )
    .executeTakeFirst();
  if (other) {
    throw new AppError(
      'USER_PRINCIPAL_TAKEN',
      `User ${other.username} already maps to ${JSON.stringify(principal)} on ${connectionKey}.`,
      { errors: [fieldError('body', ['principal'], 'is taken on this connection')] },
    );
  }
}

/**
 * Sets how a user maps to a principal on one connection and audits it as `ExternalUserIdChanged`;
 * `unset` falls back to the username. A principal another user maps to is USER_PRINCIPAL_TAKEN.
 */
export async function setExternalId(
  ctx: ServiceContext,
  userId: number,
  connectionKey: string,
  mapping: ExternalIdMapping,
): Promise<ExternalIdView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const user = await loadUserRow(trx, userId, true);
    await requireConnection(trx, connectionKey);
    const before = view(
      connectionKey,
      user.username,
      await trx
        .selectFrom('external_user_ids')
        .select(['mode', 'principal'])
        .where('user_id', '=', userId)
        .where('connection_key', '=', connectionKey)
        .executeTakeFirst(),
    );
    const principal = mapping.mode === 'explicit' ? mapping.principal : null;
    if (before.mode === mapping.mode && before.principal === principal) return before;
    if (mapping.mode === 'unset') {
      await trx
        .deleteFrom('external_user_ids')
        .where('user_id', '=', userId)
        .where('connection_key', '=', connectionKey)
        .execute();
    } else {
      if (mapping.mode === 'explicit')
        await requirePrincipalFree(trx, userId, connectionKey, mapping.principal);
      await trx
        .insertInto('external_user_ids')
        .values({ user_id: userId, connection_key: connectionKey, mode: mapping.mode, principal })
        .onConflict((oc) =>
          oc.columns(['user_id', 'connection_key']).doUpdateSet({ mode: mapping.mode, principal }),
        )
        .execute();
    }
    const after = view(
      connectionKey,
      user.username,
      mapping.mode === 'unset' ? undefined : { mode: mapping.mode, principal },
    );
    await bumpUser(trx, userId);
    await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'ExternalUserIdChanged',
      targets: [
        { type: 'user', id: String(userId), name: user.username },
        { type: 'connection', id: connectionKey },
      ],
      payload: {
        connectionKey,
        before: { mode: before.mode, principal: before.principal },
        after: { mode: after.mode, principal: after.principal },
      },
    });
    return after;
  });
}
