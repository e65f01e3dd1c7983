import { AppError } from '../../../errors/index.ts';
import { findAttribute } from '../../../scim/attribute-model.ts';
import { canonicalResource, GROUP_MODEL } from '../../../scim/canonical.ts';
import { checkIfMatch } from '../../../scim/etag.ts';
import { matchesElement } from '../../../scim/filter/evaluate.ts';
import { groupFromScim, groupToScim } from '../../../scim/group-resource.ts';
import { type MemberOp, splitMemberOps } from '../../../scim/member-ops.ts';
import { applyPatch } from '../../../scim/patch.ts';
import { readPatchOperations } from '../../../scim/patch-ops.ts';
import { GROUP } from '../../../scim/resource-schemas.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { deleteMembers, insertMembers, requireUsers } from './group-membership.ts';
import { loadGroupRow } from './group-view.ts';
import { saveGroupChanges } from './save-group.ts';
import { scimId } from './scim-read.ts';

const MEMBER_FIELDS = findAttribute(GROUP.attributes, 'members')?.subAttributes ?? [];

/** Net membership changes of a sequence of operations: a member added then removed is no change. */
class NetChanges {
  readonly added = new Set<number>();
  readonly removed = new Set<number>();

  add(ids: readonly number[]): void {
    for (const id of ids) if (!this.removed.delete(id)) this.added.add(id);
  }

  remove(ids: readonly number[]): void {
    for (const id of ids) if (!this.added.delete(id)) this.removed.add(id);
  }
}

async function memberIds(trx: Db, groupId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.user_id);
}

async function applyMemberOp(trx: Db, groupId: number, op: MemberOp, net: NetChanges): Promise<void> {
  switch (op.kind) {
    case 'add':
      await requireUsers(trx, op.ids, ['Operations', 'value'], 'REQUEST_INVALID');
      net.add(await insertMembers(trx, groupId, op.ids));
      return;
    case 'remove':
      net.remove(await deleteMembers(trx, groupId, op.ids));
      return;
    case 'removeAll':
      net.remove(await deleteMembers(trx, groupId, 'all'));
      return;
    case 'set': {
      await requireUsers(trx, op.ids, ['Operations', 'value'], 'REQUEST_INVALID');
      const wanted = new Set(op.ids);
      const current = await memberIds(trx, groupId);
      net.remove(
        await deleteMembers(
          trx,
          groupId,
          current.filter((id) => !wanted.has(id)),
        ),
      );
      net.add(await insertMembers(trx, groupId, op.ids));
      return;
    }
    case 'removeMatching': {
      const rows = await trx
        .selectFrom('group_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['u.id', 'u.username'])
        .where('m.group_id', '=', groupId)
        .execute();
      const fail = (detail: string) => new AppError('USER_PATCH_PATH_INVALID', `Invalid path: ${detail}`);
      const matched = rows.filter((r) =>
        matchesElement(
          op.filter,
          { value: String(r.id), display: r.username, type: 'User' },
          MEMBER_FIELDS,
          fail,
        ),
      );
      net.remove(
        await deleteMembers(
          trx,
          groupId,
          matched.map((r) => r.id),
        ),
      );
      return;
    }
  }
}

/**
 * Applies a SCIM PATCH to a group (PATCH /Groups/{id}). Member operations run in SQL in request order
 * (add, remove by value filter such as `members[value eq "12"]`, Entra's remove with a value list,
 * replace, remove all) without loading every member unless a filter needs them; other operations
 * apply to the group's document. One `GroupUpdated` event records the net change; replaying a PATCH
 * changes nothing more. A stale `If-Match` is USER_VERSION_CONFLICT (412). Returns the new version.
 */
export async function patchScimGroup(
  ctx: ServiceContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<{ readonly version: number }> {
  const groupId = scimId(id, 'GROUP_NOT_FOUND');
  const { documentOps, memberOps } = splitMemberOps(readPatchOperations(body));
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await loadGroupRow(trx, groupId, true);
    checkIfMatch(ifMatch, before.version);
    const { meta: _meta, ...document } = groupToScim(before, undefined, baseUrl);
    const patched = applyPatch(document, documentOps, GROUP_MODEL, String(groupId));
    const write = groupFromScim(canonicalResource(patched, GROUP_MODEL));
    const net = new NetChanges();
    for (const op of memberOps) await applyMemberOp(trx, groupId, op, net);
    await saveGroupChanges(
      trx,
      ctx,
      before,
      { name: write.name, external_id: write.externalId },
      { added: [...net.added].sort((a, b) => a - b), removed: [...net.removed].sort((a, b) => a - b) },
      'scim',
    );
    return { version: (await loadGroupRow(trx, groupId)).version };
  });
}
