import { recordAudit } from '../../../audit/record.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import { checkIfMatch } from '../../../scim/etag.ts';
import type { ServiceContext } from '../../context.ts';
import { refuseSelfChange } from './save-user.ts';
import { loadUserRow, summarizeUser, type UserSummary } from './user-view.ts';

/** Options of a deletion: a SCIM `If-Match` header, and which API asked. */
export interface DeleteOptions {
  readonly ifMatch?: string | undefined;
  readonly via?: 'api' | 'scim';
}

/**
 * Deletes a user with their API keys, group memberships, attributes and external ids, and audits it
 * as `UserDeleted`. Deleting yourself is refused (USER_SELF_CHANGE); a stale `ifMatch` is
 * USER_VERSION_CONFLICT.
 */
export async function deleteUser(
  ctx: ServiceContext,
  id: number,
  options: DeleteOptions = {},
): Promise<UserSummary> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await loadUserRow(trx, id, true);
    checkIfMatch(options.ifMatch, row.version);
    refuseSelfChange(ctx, id, 'delete');
    const memberships = await trx
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('users').where('id', '=', id).execute();
    await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'UserDeleted',
      targets: [{ type: 'user', id: String(id), name: row.username }],
      payload: { via: options.via ?? 'api', username: row.username, groups: Number(memberships.n) },
    });
    return summarizeUser(row);
  });
}
