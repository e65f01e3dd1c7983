import { type Selectable, sql } from 'kysely';
import { AppError } from '../../../errors/index.ts';
import { attributesFromRows, type SortedAttributes } from '../../../people/attribute.ts';
import type { Db, UsersTable } from '../../../store/schema.ts';

/** A row of the users table. */
export type UserRow = Selectable<UsersTable>;

/** A user as the API shows it. */
export interface UserSummary {
  readonly id: number;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly externalId: string | null;
  readonly state: 'active' | 'disabled';
  readonly source: 'bim' | 'scim';
  readonly permissions: string[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A user with their groups and attributes. */
export interface UserDetail extends UserSummary {
  readonly groups: Array<{ id: number; name: string }>;
  readonly attributes: SortedAttributes;
}

/** Maps a users row to its API view. */
export function summarizeUser(row: UserRow): UserSummary {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    externalId: row.external_id,
    state: row.state,
    source: row.source,
    permissions: row.permissions,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Loads one users row, or fails with USER_NOT_FOUND; with `lock`, holds the row until the transaction
 * ends, so a read-modify-write (a SCIM PATCH) cannot interleave with another.
 */
export async function loadUserRow(db: Db, id: number, lock = false): Promise<UserRow> {
  let query = db.selectFrom('users').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = Number.isSafeInteger(id) ? await query.executeTakeFirst() : undefined;
  if (!row) throw new AppError('USER_NOT_FOUND', `There is no user with id ${id}.`);
  return row;
}

/** Returns the attributes of a user. */
export async function attributesOf(db: Db, userId: number): Promise<SortedAttributes> {
  const rows = await db
    .selectFrom('user_attributes')
    .select(['attribute_key', 'attribute_value'])
    .where('user_id', '=', userId)
    .execute();
  return attributesFromRows(rows);
}

/** Returns the groups of a user, by name. */
export async function groupsOf(db: Db, userId: number): Promise<Array<{ id: number; name: string }>> {
  return db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['g.id', 'g.name'])
    .where('m.user_id', '=', userId)
    .orderBy('g.name')
    .orderBy('g.id')
    .execute();
}

/** Loads a user with their groups and attributes, or fails with USER_NOT_FOUND. */
export async function getUserDetail(db: Db, id: number): Promise<UserDetail> {
  const row = await loadUserRow(db, id);
  const [groups, attributes] = await Promise.all([groupsOf(db, id), attributesOf(db, id)]);
  return { ...summarizeUser(row), groups, attributes };
}

/** Marks a user changed: a new version (the SCIM ETag) and modification time. */
export async function bumpUser(db: Db, id: number): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', id)
    .execute();
}
