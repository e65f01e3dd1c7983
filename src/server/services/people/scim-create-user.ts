import { recordAudit } from '../../../audit/record.ts';
import { canonicalResource, type Json, USER_MODEL } from '../../../scim/canonical.ts';
import { userFromScim, userToScim } from '../../../scim/user-resource.ts';
import type { ServiceContext } from '../../context.ts';
import { insertUser, usernameTaken } from './create-user.ts';
import type { VersionedResource } from './scim-read.ts';

/**
 * Creates a user from a SCIM User (POST /Users), marked `source: scim`, with no permissions; audited as
 * `UserCreated`. A userName taken in any letter case is USER_TAKEN (SCIM 409 `uniqueness`).
 */
export async function createScimUser(
  ctx: ServiceContext,
  body: Json,
  baseUrl: string,
): Promise<VersionedResource> {
  const write = userFromScim(canonicalResource(body, USER_MODEL));
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await insertUser(trx, {
      username: write.username,
      name: write.name,
      email: write.email,
      given_name: write.givenName,
      family_name: write.familyName,
      external_id: write.externalId,
      state: write.active === false ? 'disabled' : 'active',
      permissions: [],
      source: 'scim',
      scim: JSON.stringify(write.extras),
    });
    if (!row) throw usernameTaken(write.username, ['userName']);
    await recordAudit(trx, ctx, {
      action: 'UserCreated',
      targets: [{ type: 'user', id: String(row.id), name: row.username }],
      payload: { via: 'scim', username: row.username, externalId: row.external_id, state: row.state },
    });
    // A new user is in no group yet.
    return { resource: userToScim(row, [], baseUrl), version: row.version };
  });
}
