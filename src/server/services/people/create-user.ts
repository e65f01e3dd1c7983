import { type Insertable, sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import type { Permission } from '../../../domain/permission.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db, UsersTable } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { getUserDetail, type UserDetail, type UserRow } from './user-view.ts';

/** The fields of a new user created through the REST API. */
export interface NewUser {
  readonly username: string;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly permissions?: readonly Permission[] | undefined;
}

/** The USER_TAKEN error for a username, naming the field it came from. */
export function usernameTaken(username: string, field: readonly string[]): AppError {
  return new AppError('USER_TAKEN', `The username ${JSON.stringify(username)} is taken.`, {
    errors: [fieldError('body', field, 'is taken')],
  });
}

/**
 * Inserts a user unless the username is taken in any letter case; returns the new row, or undefined
 * when taken. Usernames are unique case-insensitively, as identity providers treat them.
 */
export async function insertUser(db: Db, values: Insertable<UsersTable>): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values(values)
    .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Creates a user in the built-in identity manager and audits it; a taken username is USER_TAKEN (409). */
export async function createUser(ctx: ServiceContext, input: NewUser): Promise<UserDetail> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await insertUser(trx, {
      username: input.username,
      name: input.name ?? null,
      email: input.email ?? null,
      state: 'active',
      permissions: [...new Set(input.permissions ?? [])].sort(),
    });
    if (!row) throw usernameTaken(input.username, ['username']);
    await recordAudit(trx, ctx, {
      action: 'UserCreated',
      targets: [{ type: 'user', id: String(row.id), name: row.username }],
      payload: { username: row.username, permissions: row.permissions, source: 'bim' },
    });
    return getUserDetail(trx, row.id);
  });
}
