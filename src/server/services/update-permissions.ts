import { sql } from 'kysely';
import { recordAudit } from '../../audit/record.ts';
import type { Permission } from '../../domain/permission.ts';
import type { ServiceContext } from '../context.ts';
import { getUser, type UserView } from './user-view.ts';

/** Replaces a user's global permissions and audits the before and after sets. */
export async function updatePermissions(
  ctx: ServiceContext,
  userId: number,
  permissions: readonly Permission[],
): Promise<UserView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await getUser(trx, userId);
    const next = [...new Set(permissions)].sort();
    await trx
      .updateTable('users')
      .set({ permissions: next, updated_at: sql<Date>`now()` })
      .where('id', '=', userId)
      .execute();
    await recordAudit(trx, ctx, {
      action: 'PermissionsUpdated',
      targets: [{ type: 'user', id: String(userId), name: before.username }],
      payload: { before: before.permissions, after: next },
    });
    return getUser(trx, userId);
  });
}
