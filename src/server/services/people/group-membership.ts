import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';

/**
 * Fails, naming each offending entry of the request field, when some ids are not users: with
 * USER_NOT_FOUND (404), or REQUEST_INVALID (400) where a 404 would say the resource addressed is gone
 * (a SCIM request on a group).
 */
export async function requireUsers(
  db: Db,
  ids: readonly number[],
  field: readonly string[],
  code: 'USER_NOT_FOUND' | 'REQUEST_INVALID' = 'USER_NOT_FOUND',
): Promise<void> {
  const wanted = [...new Set(ids)].filter(Number.isSafeInteger);
  const found = new Set(
    wanted.length === 0
      ? []
      : (await db.selectFrom('users').select('id').where('id', 'in', wanted).execute()).map((r) => r.id),
  );
  const missing = ids.flatMap((id, i) => (found.has(id) ? [] : [i]));
  if (missing.length === 0) return;
  throw new AppError(code, `There is no user with id ${missing.map((i) => ids[i]).join(', ')}.`, {
    errors: missing.map((i) => fieldError('body', [...field, i], 'is not a user id')),
  });
}

/** Adds users to a group; returns the ids that were not members before. */
export async function insertMembers(db: Db, groupId: number, userIds: readonly number[]): Promise<number[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const rows = await db
    .insertInto('group_members')
    .values(ids.map((user_id) => ({ group_id: groupId, user_id })))
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id).sort((a, b) => a - b);
}

/** Removes users from a group (all of them with `'all'`); returns the ids that were members. */
export async function deleteMembers(
  db: Db,
  groupId: number,
  userIds: readonly number[] | 'all',
): Promise<number[]> {
  if (userIds !== 'all' && userIds.length === 0) return [];
  let query = db.deleteFrom('group_members').where('group_id', '=', groupId);
  if (userIds !== 'all') query = query.where('user_id', 'in', [...new Set(userIds)]);
  const rows = await query.returning('user_id').execute();
  return rows.map((r) => r.user_id).sort((a, b) => a - b);
}

/** Most users an audit event names; the payload still counts them all. */
export const MAX_AUDIT_TARGETS = 1000;

/** Names users for audit targets: id and username, in id order, at most MAX_AUDIT_TARGETS. */
export async function userTargets(
  db: Db,
  ids: readonly number[],
): Promise<Array<{ type: 'user'; id: string; name: string }>> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', 'in', ids.slice(0, MAX_AUDIT_TARGETS))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ type: 'user', id: String(r.id), name: r.username }));
}
