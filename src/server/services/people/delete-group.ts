import { recordAudit } from '../../../audit/record.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import { checkIfMatch } from '../../../scim/etag.ts';
import type { ServiceContext } from '../../context.ts';
import type { DeleteOptions } from './delete-user.ts';
import { type GroupView, loadGroupRow, memberCount, summarizeGroup } from './group-view.ts';

/**
 * Deletes a group (its members stay users) and audits it as `GroupDeleted`; a stale `ifMatch` is
 * USER_VERSION_CONFLICT.
 */
export async function deleteGroup(
  ctx: ServiceContext,
  id: number,
  options: DeleteOptions = {},
): Promise<GroupView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await loadGroupRow(trx, id, true);
    checkIfMatch(options.ifMatch, row.version);
    const members = await memberCount(trx, id);
    await trx.deleteFrom('groups').where('id', '=', id).execute();
    if (members > 0) await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'GroupDeleted',
      targets: [{ type: 'group', id: String(id), name: row.name }],
      payload: { via: options.via ?? 'api', name: row.name, members },
    });
    return summarizeGroup(row, members);
  });
}
