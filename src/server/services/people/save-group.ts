import { isDeepStrictEqual } from 'node:util';
import { sql, type Updateable } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db, GroupsTable } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { groupNameTaken } from './create-group.ts';
import { MAX_AUDIT_TARGETS } from './group-membership.ts';
import { type GroupRow, memberCount } from './group-view.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** The fields of a group that can change; absent fields stay as they are. */
export interface GroupChanges {
  readonly name?: string;
  readonly description?: string | null;
  readonly external_id?: string | null;
}

/** Membership changes made in the same request, recorded in the same `GroupUpdated` event. */
export interface MembershipChanges {
  readonly added: readonly number[];
  readonly removed: readonly number[];
}

/**
 * Applies changes to a group in the caller's transaction: only fields that really change are written;
 * with any change (fields or `members`, already written by the caller) the version is incremented and
 * one `GroupUpdated` event records it. Entitlement sync is told when the members or the name (which
 * entitlement rows carry) changed. Returns whether anything changed.
 */
export async function saveGroupChanges(
  trx: Db,
  ctx: ServiceContext,
  before: GroupRow,
  changes: GroupChanges,
  members: MembershipChanges = { added: [], removed: [] },
  via: 'api' | 'scim' = 'api',
): Promise<boolean> {
  const changed = (Object.keys(changes) as Array<keyof GroupChanges>).filter(
    (field) => changes[field] !== undefined && !isDeepStrictEqual(changes[field], before[field]),
  );
  const membersChanged = members.added.length + members.removed.length > 0;
  if (changed.length === 0 && !membersChanged) return false;
  if (changes.name !== undefined && changed.includes('name')) {
    const other = await trx
      .selectFrom('groups')
      .select('id')
      .where(sql`lower(name)`, '=', changes.name.toLowerCase())
      .where('id', '<>', before.id)
      .executeTakeFirst();
    if (other) throw groupNameTaken(changes.name, via === 'scim' ? ['displayName'] : ['name']);
  }
  const set: Updateable<GroupsTable> = {};
  for (const field of changed) Object.assign(set, { [field]: changes[field] });
  await trx
    .updateTable('groups')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', before.id)
    .execute()
    .catch((error: unknown) => {
      // Another request took the name between the check above and this write.
      if (isUniqueViolation(error))
        throw groupNameTaken(changes.name ?? '', via === 'scim' ? ['displayName'] : ['name']);
      throw error;
    });
  const renamed = changed.includes('name') && (await memberCount(trx, before.id)) > 0;
  if (membersChanged || renamed) await markEntitlementsChanged(trx);
  const diff: Record<string, unknown> = {};
  for (const field of changed) diff[field] = { before: before[field], after: changes[field] };
  await recordAudit(trx, ctx, {
    action: 'GroupUpdated',
    targets: [{ type: 'group', id: String(before.id), name: changes.name ?? before.name }],
    payload: {
      via,
      changes: diff,
      ...(membersChanged ? membershipPayload(members) : {}),
    },
  });
  return true;
}

/** The audit payload of membership changes: counts, and the ids up to MAX_AUDIT_TARGETS of each. */
export function membershipPayload(members: MembershipChanges): Record<string, unknown> {
  return {
    membersAdded: members.added.slice(0, MAX_AUDIT_TARGETS),
    membersRemoved: members.removed.slice(0, MAX_AUDIT_TARGETS),
    addedCount: members.added.length,
    removedCount: members.removed.length,
  };
}
