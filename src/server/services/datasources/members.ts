import type { z } from 'zod';
import { recordAudit } from '../../../audit/record.ts';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import type { DataSourceRole } from '../../../datasources/data-source-roles.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import type { MEMBER_STATES, memberSchema } from '../../schemas/data-sources.ts';
import { assertOnDataSource, auditingDenials } from './authorize.ts';

/** A member of a data source as the API shows it. */
export type MemberView = z.infer<typeof memberSchema>;

/** A membership state of the reference's API. */
export type MemberState = (typeof MEMBER_STATES)[number];

const ROLE_OF: Record<MemberState, DataSourceRole> = {
  subscribed: 'subscriber',
  owner: 'owner',
  expert: 'expert',
};
const STATE_OF: Record<DataSourceRole, MemberState> = {
  subscriber: 'subscribed',
  owner: 'owner',
  expert: 'expert',
};

function memberQuery(db: Db, objectId: string) {
  return db
    .selectFrom('data_source_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.username', 'u.name', 'u.email', 'm.role', 'm.expires_at', 'm.added_at', 'm.added_by'])
    .where('m.object_id', '=', objectId);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['executeTakeFirstOrThrow']>>;

function viewMember(row: MemberRow, now: Date): MemberView {
  return {
    profileId: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    state: STATE_OF[row.role],
    expiration: row.expires_at?.toISOString() ?? null,
    expired: row.expires_at !== null && row.expires_at.getTime() <= now.getTime(),
    addedAt: row.added_at.toISOString(),
    addedBy: row.added_by,
  };
}

/** `GET /dataSource/{id}/access`: the members of a data source, by username, with the total count. */
export async function listMembers(
  db: Db,
  id: string,
  page: { offset: number; limit: number },
): Promise<{ members: MemberView[]; count: number }> {
  const row = await getDataSource(db, id);
  const rows = await memberQuery(db, row.id)
    .orderBy('u.username')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const total = await db
    .selectFrom('data_source_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('object_id', '=', row.id)
    .executeTakeFirstOrThrow();
  const now = new Date();
  return { members: rows.map((r) => viewMember(r, now)), count: Number(total.n) };
}

/** A membership to save: who, on which data source, in which role, until when, added by whom. */
export interface Membership {
  readonly objectId: string;
  readonly userId: number;
  readonly role: DataSourceRole;
  readonly expiresAt: Date | null;
  readonly addedBy: number | null;
}

/**
 * Adds a user to a data source, or changes the role and expiry of a member, and marks entitlements
 * changed; no permission check and no audit (the caller's use case does both, in the same transaction).
 */
export async function saveMembership(trx: Db, membership: Membership): Promise<void> {
  const values = { role: membership.role, expires_at: membership.expiresAt, added_by: membership.addedBy };
  await trx
    .insertInto('data_source_members')
    .values({ object_id: membership.objectId, user_id: membership.userId, ...values })
    .onConflict((oc) => oc.columns(['object_id', 'user_id']).doUpdateSet(values))
    .execute();
  await markEntitlementsChanged(trx);
}

/** A member to add: the user (profile) id, the state, and an optional expiry. */
export interface NewMember {
  readonly profileId: number;
  readonly state: MemberState;
  readonly expiration?: Date | undefined;
}

/**
 * `POST /dataSource/{id}/access`: adds a user to a data source as subscriber, owner or expert, or
 * changes the role and expiry of a member. Needs GOVERNANCE or being an owner of the data source.
 * Marks entitlements changed (and wakes the job runner after commit), so the platforms learn who is
 * subscribed.
 */
export async function addMember(ctx: ServiceContext, id: string, input: NewMember): Promise<MemberView> {
  const now = new Date();
  if (input.expiration && input.expiration.getTime() <= now.getTime()) {
    throw new AppError('REQUEST_INVALID', 'The expiration must be in the future.', {
      errors: [fieldError('body', ['expiration'], 'must be in the future')],
    });
  }
  const member = await auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const row = await getDataSource(trx, id);
      await assertOnDataSource(trx, ctx, row, 'manageMembers');
      const user = await trx
        .selectFrom('users')
        .select(['id', 'username'])
        .where('id', '=', input.profileId)
        .executeTakeFirst();
      if (!user) {
        throw new AppError('USER_NOT_FOUND', `There is no user with id ${input.profileId}.`, {
          errors: [fieldError('body', ['profileId'], 'is not a known user')],
        });
      }
      const before = await trx
        .selectFrom('data_source_members')
        .select(['role', 'expires_at'])
        .where('object_id', '=', row.id)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      await saveMembership(trx, {
        objectId: row.id,
        userId: user.id,
        role: ROLE_OF[input.state],
        expiresAt: input.expiration ?? null,
        addedBy: ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null,
      });
      const name = (await dataSourceNames(trx, [row])).get(row.id)!;
      await recordAudit(trx, ctx, {
        action: 'DataSourceMemberAdded',
        targets: [
          { type: 'dataSource', id: row.id, name },
          { type: 'user', id: String(user.id), name: user.username },
        ],
        payload: {
          state: input.state,
          expiration: input.expiration?.toISOString() ?? null,
          previousState: before ? STATE_OF[before.role] : null,
        },
      });
      return viewMember(
        await memberQuery(trx, row.id).where('u.id', '=', user.id).executeTakeFirstOrThrow(),
        now,
      );
    }),
  );
  ctx.deps.jobs.wake();
  return member;
}

/**
 * `DELETE /dataSource/{id}/access/{profileId}`: removes a member. Needs GOVERNANCE or being an owner
 * of the data source. Marks entitlements changed.
 */
export async function removeMember(ctx: ServiceContext, id: string, profileId: number): Promise<MemberView> {
  const removed = await auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      const row = await getDataSource(trx, id);
      await assertOnDataSource(trx, ctx, row, 'manageMembers');
      const member = await memberQuery(trx, row.id).where('u.id', '=', profileId).executeTakeFirst();
      if (!member) {
        throw new AppError(
          'DATASOURCE_MEMBER_NOT_FOUND',
          `User ${profileId} is not a member of data source ${row.id}.`,
        );
      }
      await trx
        .deleteFrom('data_source_members')
        .where('object_id', '=', row.id)
        .where('user_id', '=', profileId)
        .execute();
      await markEntitlementsChanged(trx);
      const name = (await dataSourceNames(trx, [row])).get(row.id)!;
      await recordAudit(trx, ctx, {
        action: 'DataSourceMemberRemoved',
        targets: [
          { type: 'dataSource', id: row.id, name },
          { type: 'user', id: String(member.id), name: member.username },
        ],
        payload: { state: STATE_OF[member.role] },
      });
      return viewMember(member, new Date());
    }),
  );
  ctx.deps.jobs.wake();
  return removed;
}
