import { canonicalResource, GROUP_MODEL, type Json } from '../../../scim/canonical.ts';
import { checkIfMatch } from '../../../scim/etag.ts';
import { groupFromScim } from '../../../scim/group-resource.ts';
import type { ServiceContext } from '../../context.ts';
import { deleteMembers, insertMembers, requireUsers } from './group-membership.ts';
import { loadGroupRow } from './group-view.ts';
import { saveGroupChanges } from './save-group.ts';
import { scimGroupOf, scimId, type VersionedResource } from './scim-read.ts';

/**
 * Replaces a group with a SCIM Group (PUT /Groups/{id}): name, externalId and, when the request lists
 * `members`, exactly those members (a request without `members` leaves them, which RFC 7644 §3.5.1
 * allows). Audited as one `GroupUpdated`. A stale `If-Match` is USER_VERSION_CONFLICT (412).
 */
export async function replaceScimGroup(
  ctx: ServiceContext,
  id: string,
  body: Json,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<VersionedResource> {
  const groupId = scimId(id, 'GROUP_NOT_FOUND');
  const write = groupFromScim(canonicalResource(body, GROUP_MODEL));
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await loadGroupRow(trx, groupId, true);
    checkIfMatch(ifMatch, before.version);
    let added: number[] = [];
    let removed: number[] = [];
    if (write.memberIds !== undefined) {
      await requireUsers(trx, write.memberIds, ['members'], 'REQUEST_INVALID');
      const wanted = new Set(write.memberIds);
      const current = await trx
        .selectFrom('group_members')
        .select('user_id')
        .where('group_id', '=', groupId)
        .execute();
      removed = await deleteMembers(
        trx,
        groupId,
        current.map((r) => r.user_id).filter((u) => !wanted.has(u)),
      );
      added = await insertMembers(trx, groupId, [...wanted]);
    }
    await saveGroupChanges(
      trx,
      ctx,
      before,
      { name: write.name, external_id: write.externalId },
      { added, removed },
      'scim',
    );
    const after = await loadGroupRow(trx, groupId);
    return { resource: await scimGroupOf(trx, after, {}, baseUrl), version: after.version };
  });
}
