import { AppError } from '../../errors/index.ts';
import type { Db } from '../../store/schema.ts';

/** A user as the API shows it. */
export interface UserView {
  readonly id: number;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly state: 'active' | 'disabled';
  readonly permissions: string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Loads one user by id, or fails with USER_NOT_FOUND. */
export async function getUser(db: Db, id: number): Promise<UserView> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('USER_NOT_FOUND', `There is no user with id ${id}.`);
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    state: row.state,
    permissions: row.permissions,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
