import type { ServiceContext } from '../../context.ts';
import { saveUserChanges, type UserChanges } from './save-user.ts';
import { getUserDetail, loadUserRow, type UserDetail } from './user-view.ts';

/** The profile fields `PUT /users/{id}` may change; absent fields stay, null clears. */
export interface UserUpdate {
  readonly name?: string | null | undefined;
  readonly email?: string | null | undefined;
  readonly givenName?: string | null | undefined;
  readonly familyName?: string | null | undefined;
  readonly state?: 'active' | 'disabled' | undefined;
}

/**
 * Changes a user's profile or state and audits it as `UserUpdated`. Disabling yourself is refused
 * (USER_SELF_CHANGE). A new email replaces the email list a SCIM client sent, which would otherwise
 * contradict it.
 */
export async function updateUser(ctx: ServiceContext, id: number, input: UserUpdate): Promise<UserDetail> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await loadUserRow(trx, id, true);
    const changes: UserChanges = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.givenName !== undefined ? { given_name: input.givenName } : {}),
      ...(input.familyName !== undefined ? { family_name: input.familyName } : {}),
      ...(input.state !== undefined ? { state: input.state } : {}),
    };
    if (input.email !== undefined && input.email !== before.email && 'emails' in before.scim) {
      const { emails: _dropped, ...rest } = before.scim;
      await saveUserChanges(trx, ctx, before, { ...changes, scim: rest });
    } else {
      await saveUserChanges(trx, ctx, before, changes);
    }
    return getUserDetail(trx, id);
  });
}
