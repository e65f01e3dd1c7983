import { canonicalResource, type Json, USER_MODEL } from '../../../scim/canonical.ts';
import { checkIfMatch } from '../../../scim/etag.ts';
import { type ScimUserWrite, userFromScim } from '../../../scim/user-resource.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { saveUserChanges } from './save-user.ts';
import { scimId, scimUserOf, type VersionedResource } from './scim-read.ts';
import { loadUserRow, type UserRow } from './user-view.ts';

/**
 * Saves what a SCIM User says about an existing user, in the caller's transaction: columns and the
 * other SCIM attributes; `active` absent keeps the state. Audited as `UserUpdated` when anything
 * changed. Returns the user as now stored.
 */
export async function saveScimUser(
  trx: Db,
  ctx: ServiceContext,
  before: UserRow,
  write: ScimUserWrite,
): Promise<UserRow> {
  await saveUserChanges(
    trx,
    ctx,
    before,
    {
      username: write.username,
      name: write.name,
      email: write.email,
      given_name: write.givenName,
      family_name: write.familyName,
      external_id: write.externalId,
      scim: write.extras,
      ...(write.active !== undefined ? { state: write.active ? 'active' : 'disabled' } : {}),
    },
    'scim',
  );
  return loadUserRow(trx, before.id);
}

/**
 * Replaces a user with a SCIM User (PUT /Users/{id}): attributes the request leaves out are cleared,
 * except `active`, which stays. A stale `If-Match` is USER_VERSION_CONFLICT (412).
 */
export async function replaceScimUser(
  ctx: ServiceContext,
  id: string,
  body: Json,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<VersionedResource> {
  const userId = scimId(id, 'USER_NOT_FOUND');
  const write = userFromScim(canonicalResource(body, USER_MODEL));
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await loadUserRow(trx, userId, true);
    checkIfMatch(ifMatch, before.version);
    const after = await saveScimUser(trx, ctx, before, write);
    return { resource: await scimUserOf(trx, after, {}, baseUrl), version: after.version };
  });
}
