import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';

/** The purposes a user acts under. */
export interface UserPurposesView {
  readonly userId: number;
  readonly purposes: { id: number; name: string }[];
}

async function userOf(db: Db, id: number) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!user) throw new AppError('USER_NOT_FOUND', `There is no user with id ${id}.`);
  return user;
}

async function purposesOf(db: Db, userId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('user_purposes as up')
    .innerJoin('purposes as p', 'p.id', 'up.purpose_id')
    .select(['p.id', 'p.name'])
    .where('up.user_id', '=', userId)
    .orderBy(sql`lower(p.name)`)
    .execute();
}

/** `GET /users/{id}/purposes`: the purposes the user acts under, by name. */
export async function getUserPurposes(db: Db, userId: number): Promise<UserPurposesView> {
  await userOf(db, userId);
  return { userId, purposes: await purposesOf(db, userId) };
}

/**
 * `PUT /users/{id}/purposes`: replaces the purposes a user acts under with the named ones (names match
 * regardless of case; an unknown one is PURPOSE_NOT_FOUND naming it). Marks entitlements changed when
 * the set changed, so the platforms learn it.
 */
export async function setUserPurposes(
  ctx: ServiceContext,
  userId: number,
  names: readonly string[],
): Promise<UserPurposesView> {
  const view = await ctx.deps.store.db.transaction().execute(async (trx) => {
    const user = await userOf(trx, userId);
    const lowered = [...new Set(names.map((n) => n.toLowerCase()))];
    const found =
      lowered.length === 0
        ? []
        : await trx
            .selectFrom('purposes')
            .select(['id', 'name'])
            .where(sql<boolean>`lower(name) = ANY(${lowered}::text[])`)
            .execute();
    const byName = new Map(found.map((p) => [p.name.toLowerCase(), p]));
    const unknown = names.flatMap((n, i) => (byName.has(n.toLowerCase()) ? [] : [i]));
    if (unknown.length > 0) {
      throw new AppError(
        'PURPOSE_NOT_FOUND',
        `There is no purpose ${unknown.map((i) => JSON.stringify(names[i])).join(', ')}.`,
        { errors: unknown.map((i) => fieldError('body', ['purposes', i], 'is not a known purpose')) },
      );
    }
    const before = await purposesOf(trx, userId);
    const wanted = new Set(found.map((p) => p.id));
    const had = new Set(before.map((p) => p.id));
    const added = found.filter((p) => !had.has(p.id));
    const removed = before.filter((p) => !wanted.has(p.id));
    if (removed.length > 0) {
      await trx
        .deleteFrom('user_purposes')
        .where('user_id', '=', userId)
        .where(
          'purpose_id',
          'in',
          removed.map((p) => p.id),
        )
        .execute();
    }
    if (added.length > 0) {
      await trx
        .insertInto('user_purposes')
        .values(added.map((p) => ({ user_id: userId, purpose_id: p.id })))
        .execute();
    }
    if (added.length + removed.length > 0) await markEntitlementsChanged(trx);
    await recordAudit(trx, ctx, {
      action: 'UserPurposesUpdated',
      targets: [{ type: 'user', id: String(user.id), name: user.username }],
      payload: { added: added.map((p) => p.name), removed: removed.map((p) => p.name) },
    });
    return { userId, purposes: await purposesOf(trx, userId) };
  });
  ctx.deps.jobs.wake();
  return view;
}
