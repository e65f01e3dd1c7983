import { isDeepStrictEqual } from 'node:util';
import { sql, type Updateable } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { AppError } from '../../../errors/index.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db, UsersTable } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { usernameTaken } from './create-user.ts';
import { isUniqueViolation } from './unique-violation.ts';
import type { UserRow } from './user-view.ts';

/** The profile fields of a user that can change; absent fields stay as they are. */
export interface UserChanges {
  readonly username?: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly given_name?: string | null;
  readonly family_name?: string | null;
  readonly external_id?: string | null;
  readonly state?: 'active' | 'disabled';
  readonly scim?: Record<string, unknown>;
}

/** Fields whose change alters what entitlement sync pushes (the username is the fallback principal). */
const ENTITLEMENT_FIELDS = new Set<keyof UserChanges>(['username', 'state']);

/** Fields whose values are shown in the audit event; the rest are only named. */
const AUDITED_VALUES = new Set<keyof UserChanges>([
  'username',
  'name',
  'email',
  'given_name',
  'family_name',
  'external_id',
  'state',
]);

/** Refuses to let an actor disable themselves, which would lock them out mid-change. */
export function refuseSelfChange(ctx: ServiceContext, userId: number, what: string): void {
  if (ctx.actor.type === 'USER_ACTOR' && ctx.actor.id === userId) {
    throw new AppError('USER_SELF_CHANGE', `You cannot ${what} your own user; ask another user admin.`);
  }
}

/**
 * Applies profile changes to a user in the caller's transaction: only fields that really change are
 * written, the version is incremented, entitlement sync is told when the state or username changed,
 * and one `UserUpdated` event records the change. Returns the names of the changed fields (none: no
 * write and no event).
 */
export async function saveUserChanges(
  trx: Db,
  ctx: ServiceContext,
  before: UserRow,
  changes: UserChanges,
  via: 'api' | 'scim' = 'api',
): Promise<string[]> {
  const changed = (Object.keys(changes) as Array<keyof UserChanges>).filter(
    (field) => changes[field] !== undefined && !isDeepStrictEqual(changes[field], before[field]),
  );
  if (changed.length === 0) return [];
  if (changes.state === 'disabled' && changed.includes('state')) refuseSelfChange(ctx, before.id, 'disable');
  if (changes.username !== undefined && changed.includes('username')) {
    const other = await trx
      .selectFrom('users')
      .select('id')
      .where(sql`lower(username)`, '=', changes.username.toLowerCase())
      .where('id', '<>', before.id)
      .executeTakeFirst();
    if (other) throw usernameTaken(changes.username, via === 'scim' ? ['userName'] : ['username']);
  }
  const set: Updateable<UsersTable> = {};
  for (const field of changed) {
    Object.assign(set, { [field]: field === 'scim' ? JSON.stringify(changes.scim) : changes[field] });
  }
  await trx
    .updateTable('users')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', before.id)
    .execute()
    .catch((error: unknown) => {
      // Another request took the username between the check above and this write.
      if (isUniqueViolation(error))
        throw usernameTaken(changes.username ?? '', via === 'scim' ? ['userName'] : ['username']);
      throw error;
    });
  if (changed.some((f) => ENTITLEMENT_FIELDS.has(f))) await markEntitlementsChanged(trx);
  const diff: Record<string, unknown> = {};
  for (const field of changed) {
    diff[field] = AUDITED_VALUES.has(field) ? { before: before[field], after: changes[field] } : 'changed';
  }
  await recordAudit(trx, ctx, {
    action: 'UserUpdated',
    targets: [{ type: 'user', id: String(before.id), name: changes.username ?? before.username }],
    payload: { via, changes: diff },
  });
  return changed;
}
