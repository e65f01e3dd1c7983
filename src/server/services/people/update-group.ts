import type { ServiceContext } from '../../context.ts';
import { type GroupView, getGroup, loadGroupRow } from './group-view.ts';
import { saveGroupChanges } from './save-group.ts';

/** The fields `PUT /groups/{id}` may change; absent fields stay, a null description clears it. */
export interface GroupUpdate {
  readonly name?: string | undefined;
  readonly description?: string | null | undefined;
}

/** Renames a group or changes its description, audited as `GroupUpdated`; a taken name is GROUP_TAKEN. */
export async function updateGroup(ctx: ServiceContext, id: number, input: GroupUpdate): Promise<GroupView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await loadGroupRow(trx, id, true);
    await saveGroupChanges(trx, ctx, before, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    });
    return getGroup(trx, id);
  });
}
