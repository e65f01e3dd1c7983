import { recordAudit } from '../../../audit/record.ts';
import { AppError } from '../../../errors/index.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { deleteMembers, insertMembers, requireUsers, userTargets } from './group-membership.ts';
import { bumpGroup, type GroupView, getGroup, loadGroupRow } from './group-view.ts';

/** A member of a group as `GET /groups/{id}/members` lists it. */
export interface GroupMemberView {
  readonly id: number;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly state: 'active' | 'disabled';
}

/** Lists the members of a group by username; fails with GROUP_NOT_FOUND for an unknown group. */
export async function listGroupMembers(
  db: Db,
  groupId: number,
  offset: number,
  limit: number,
): Promise<GroupMemberView[]> {
  await loadGroupRow(db, groupId);
  return db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.username', 'u.name', 'u.email', 'u.state'])
    .where('m.group_id', '=', groupId)
    .orderBy('u.username')
    .orderBy('u.id')
    .offset(offset)
    .limit(limit)
    .execute();
}

/**
 * Adds users to a group and audits the ones that were not members yet as `GroupMemberAdded`; unknown
 * user ids are USER_NOT_FOUND, naming each offending `userIds` entry. Adding members who already are
 * changes nothing and records nothing.
 */
export async function addGroupMembers(
  ctx: ServiceContext,
  groupId: number,
  userIds: readonly number[],
): Promise<GroupView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const group = await loadGroupRow(trx, groupId, true);
    await requireUsers(trx, userIds, ['userIds']);
    const added = await insertMembers(trx, groupId, userIds);
    if (added.length > 0) {
      await bumpGroup(trx, groupId);
      await markEntitlementsChanged(trx);
      await recordAudit(trx, ctx, {
        action: 'GroupMemberAdded',
        targets: [
          { type: 'group', id: String(groupId), name: group.name },
          ...(await userTargets(trx, added)),
        ],
        payload: { via: 'api', group: group.name, added: added.length },
      });
    }
    return getGroup(trx, groupId);
  });
}

/**
 * Removes a user from a group, audited as `GroupMemberRemoved`; a user who is not a member is
 * USER_NOT_FOUND.
 */
export async function removeGroupMember(
  ctx: ServiceContext,
  groupId: number,
  userId: number,
): Promise<GroupView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const group = await loadGroupRow(trx, groupId, true);
    const targets = await userTargets(trx, [userId]);
    const removed = await deleteMembers(trx, groupId, [userId]);
    if (removed.length === 0) {
      throw new AppError('USER_NOT_FOUND', `User ${userId} is not a member of group ${group.name}.`);
    }
    await bumpGroup(trx, groupId);
    await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'GroupMemberRemoved',
      targets: [{ type: 'group', id: String(groupId), name: group.name }, ...targets],
      payload: { via: 'api', group: group.name, removed: 1 },
    });
    return getGroup(trx, groupId);
  });
}
