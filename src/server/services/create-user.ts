import { recordAudit } from '../../audit/record.ts';
import type { Permission } from '../../domain/permission.ts';
import { AppError, fieldError } from '../../errors/index.ts';
import type { ServiceContext } from '../context.ts';
import { getUser, type UserView } from './user-view.ts';

/** The fields of a new user. */
export interface NewUser {
  readonly username: string;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly permissions?: readonly Permission[] | undefined;
}

/** Creates a user in the built-in identity manager and audits it; a taken username is USER_TAKEN (409). */
export async function createUser(ctx: ServiceContext, input: NewUser): Promise<UserView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        username: input.username,
        name: input.name ?? null,
        email: input.email ?? null,
        state: 'active',
        permissions: [...new Set(input.permissions ?? [])],
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      throw new AppError('USER_TAKEN', `The username ${JSON.stringify(input.username)} is taken.`, {
        errors: [fieldError('body', ['username'], 'is taken')],
      });
    }
    const user = await getUser(trx, row.id);
    await recordAudit(trx, ctx, {
      action: 'UserCreated',
      targets: [{ type: 'user', id: String(user.id), name: user.username }],
      payload: { username: user.username, permissions: user.permissions },
    });
    return user;
  });
}
