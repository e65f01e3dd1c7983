import { sql } from 'kysely';
import { AppError } from '../../../errors/index.ts';
import type { Json } from '../../../scim/canonical.ts';
import { listResponse } from '../../../scim/discovery.ts';
import type { FilterNode } from '../../../scim/filter/ast.ts';
import { filterToSql } from '../../../scim/filter/to-sql.ts';
import { GROUP_FILTER_TARGET, USER_FILTER_TARGET } from '../../../scim/filter-targets.ts';
import { groupToScim, type MemberRef } from '../../../scim/group-resource.ts';
import { type Projection, project, returns } from '../../../scim/projection.ts';
import { GROUP_SCHEMA, USER_SCHEMA } from '../../../scim/urns.ts';
import { type GroupRef, userToScim } from '../../../scim/user-resource.ts';
import type { Db } from '../../../store/schema.ts';
import { type GroupRow, loadGroupRow } from './group-view.ts';
import { loadUserRow, type UserRow } from './user-view.ts';

/** A list request: a parsed filter, a 1-based start index and a page size. */
export interface ScimListQuery {
  readonly filter: FilterNode | undefined;
  readonly startIndex: number;
  readonly count: number;
  readonly projection: Projection;
}

/** A resource and its version, for the ETag header. */
export interface VersionedResource {
  readonly resource: Json;
  readonly version: number;
}

/** Reads a SCIM id: Steward ids are integers, so anything else names nothing (`notFound`). */
export function scimId(text: string, notFound: 'USER_NOT_FOUND' | 'GROUP_NOT_FOUND'): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw new AppError(
      notFound,
      `There is no ${notFound === 'USER_NOT_FOUND' ? 'user' : 'group'} with id ${JSON.stringify(text)}.`,
    );
  }
  return Number(text);
}

/** The groups of several users, by user id. */
export async function groupsByUser(db: Db, userIds: readonly number[]): Promise<Map<number, GroupRef[]>> {
  const out = new Map<number, GroupRef[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.user_id', 'g.id', 'g.name'])
    .where('m.user_id', 'in', [...userIds])
    .orderBy('g.id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.user_id, list);
  }
  return out;
}

/** The members of several groups, by group id. */
export async function membersByGroup(db: Db, groupIds: readonly number[]): Promise<Map<number, MemberRef[]>> {
  const out = new Map<number, MemberRef[]>();
  if (groupIds.length === 0) return out;
  const rows = await db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.group_id', 'u.id', 'u.username'])
    .where('m.group_id', 'in', [...groupIds])
    .orderBy('u.id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.group_id) ?? [];
    list.push({ id: r.id, username: r.username });
    out.set(r.group_id, list);
  }
  return out;
}

/** Builds the SCIM User of a row, loading its groups when the projection returns them. */
export async function scimUserOf(
  db: Db,
  row: UserRow,
  projection: Projection,
  baseUrl: string,
): Promise<Json> {
  const groups = returns(projection, 'groups', USER_SCHEMA)
    ? ((await groupsByUser(db, [row.id])).get(row.id) ?? [])
    : undefined;
  return project(userToScim(row, groups, baseUrl), projection, USER_SCHEMA);
}

/** Builds the SCIM Group of a row, loading its members when the projection returns them. */
export async function scimGroupOf(
  db: Db,
  row: GroupRow,
  projection: Projection,
  baseUrl: string,
): Promise<Json> {
  const members = returns(projection, 'members', GROUP_SCHEMA)
    ? ((await membersByGroup(db, [row.id])).get(row.id) ?? [])
    : undefined;
  return project(groupToScim(row, members, baseUrl), projection, GROUP_SCHEMA);
}

/** Reads one SCIM User; USER_NOT_FOUND when there is none. */
export async function getScimUser(
  db: Db,
  id: string,
  projection: Projection,
  baseUrl: string,
): Promise<VersionedResource> {
  const row = await loadUserRow(db, scimId(id, 'USER_NOT_FOUND'));
  return { resource: await scimUserOf(db, row, projection, baseUrl), version: row.version };
}

/** Reads one SCIM Group; GROUP_NOT_FOUND when there is none. */
export async function getScimGroup(
  db: Db,
  id: string,
  projection: Projection,
  baseUrl: string,
): Promise<VersionedResource> {
  const row = await loadGroupRow(db, scimId(id, 'GROUP_NOT_FOUND'));
  return { resource: await scimGroupOf(db, row, projection, baseUrl), version: row.version };
}

/** Lists SCIM Users matching a filter, in id order, one page of `count` from `startIndex`. */
export async function listScimUsers(db: Db, q: ScimListQuery, baseUrl: string) {
  const where = q.filter ? filterToSql(q.filter, USER_FILTER_TARGET) : sql<boolean>`true`;
  const total = await db
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  const rows =
    q.count === 0
      ? []
      : await db
          .selectFrom('users as u')
          .selectAll('u')
          .where(where)
          .orderBy('u.id')
          .offset(q.startIndex - 1)
          .limit(q.count)
          .execute();
  const groups = returns(q.projection, 'groups', USER_SCHEMA)
    ? await groupsByUser(
        db,
        rows.map((r) => r.id),
      )
    : undefined;
  const resources = rows.map((r) =>
    project(userToScim(r, groups ? (groups.get(r.id) ?? []) : undefined, baseUrl), q.projection, USER_SCHEMA),
  );
  return listResponse(resources, Number(total.n), q.startIndex);
}

/** Lists SCIM Groups matching a filter, in id order, one page of `count` from `startIndex`. */
export async function listScimGroups(db: Db, q: ScimListQuery, baseUrl: string) {
  const where = q.filter ? filterToSql(q.filter, GROUP_FILTER_TARGET) : sql<boolean>`true`;
  const total = await db
    .selectFrom('groups as g')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  const rows =
    q.count === 0
      ? []
      : await db
          .selectFrom('groups as g')
          .selectAll('g')
          .where(where)
          .orderBy('g.id')
          .offset(q.startIndex - 1)
          .limit(q.count)
          .execute();
  const members = returns(q.projection, 'members', GROUP_SCHEMA)
    ? await membersByGroup(
        db,
        rows.map((r) => r.id),
      )
    : undefined;
  const resources = rows.map((r) =>
    project(
      groupToScim(r, members ? (members.get(r.id) ?? []) : undefined, baseUrl),
      q.projection,
      GROUP_SCHEMA,
    ),
  );
  return listResponse(resources, Number(total.n), q.startIndex);
}
