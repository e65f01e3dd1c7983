import { recordAudit } from '../../../audit/record.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import { canonicalResource, GROUP_MODEL, type Json } from '../../../scim/canonical.ts';
import { groupFromScim } from '../../../scim/group-resource.ts';
import type { ServiceContext } from '../../context.ts';
import { groupNameTaken, insertGroup } from './create-group.ts';
import { insertMembers, requireUsers, userTargets } from './group-membership.ts';
import { membershipPayload } from './save-group.ts';
import { scimGroupOf, type VersionedResource } from './scim-read.ts';

/**
 * Creates a group from a SCIM Group (POST /Groups), with its members, marked `source: scim`; audited as
 * `GroupCreated`. A displayName taken in any letter case is GROUP_TAKEN (SCIM 409 `uniqueness`); a
 * member that is not a user is USER_NOT_FOUND.
 */
export async function createScimGroup(
  ctx: ServiceContext,
  body: Json,
  baseUrl: string,
): Promise<VersionedResource> {
  const write = groupFromScim(canonicalResource(body, GROUP_MODEL));
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await insertGroup(trx, { name: write.name, external_id: write.externalId, source: 'scim' });
    if (!row) throw groupNameTaken(write.name, ['displayName']);
    const ids = write.memberIds ?? [];
    await requireUsers(trx, ids, ['members'], 'REQUEST_INVALID');
    const added = await insertMembers(trx, row.id, ids);
    if (added.length > 0) await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'GroupCreated',
      targets: [{ type: 'group', id: String(row.id), name: row.name }, ...(await userTargets(trx, added))],
      payload: {
        via: 'scim',
        name: row.name,
        externalId: row.external_id,
        ...membershipPayload({ added, removed: [] }),
      },
    });
    return { resource: await scimGroupOf(trx, row, {}, baseUrl), version: row.version };
  });
}
