import { canonicalResource, USER_MODEL } from '../../../scim/canonical.ts';
import { checkIfMatch } from '../../../scim/etag.ts';
import { applyPatch } from '../../../scim/patch.ts';
import { readPatchOperations } from '../../../scim/patch-ops.ts';
import { userFromScim, userToScim } from '../../../scim/user-resource.ts';
import type { ServiceContext } from '../../context.ts';
import { scimId, scimUserOf, type VersionedResource } from './scim-read.ts';
import { saveScimUser } from './scim-replace-user.ts';
import { loadUserRow } from './user-view.ts';

/**
 * Applies a SCIM PATCH to a user (PATCH /Users/{id}): the operations are applied to the user's SCIM
 * document, which is then saved as a replacement would be, all under a row lock, so concurrent PATCHes
 * do not lose each other's changes. Replaying a PATCH leaves the same state (and version). A stale
 * `If-Match` is USER_VERSION_CONFLICT (412).
 */
export async function patchScimUser(
  ctx: ServiceContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<VersionedResource> {
  const userId = scimId(id, 'USER_NOT_FOUND');
  const operations = readPatchOperations(body);
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await loadUserRow(trx, userId, true);
    checkIfMatch(ifMatch, before.version);
    const { meta: _meta, ...document } = userToScim(before, undefined, baseUrl);
    const patched = applyPatch(document, operations, USER_MODEL, String(userId));
    const write = userFromScim(canonicalResource(patched, USER_MODEL));
    const after = await saveScimUser(trx, ctx, before, write);
    return { resource: await scimUserOf(trx, after, {}, baseUrl), version: after.version };
  });
}
