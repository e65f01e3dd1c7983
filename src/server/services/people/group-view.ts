import { type Selectable, sql } from 'kysely';
import { AppError } from '../../../errors/index.ts';
import type { Db, GroupsTable } from '../../../store/schema.ts';

/** A row of the groups table. */
export type GroupRow = Selectable<GroupsTable>;

/** A group as the API shows it. */
export interface GroupView {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly externalId: string | null;
  readonly source: 'bim' | 'scim';
  readonly memberCount: number;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Maps a groups row and its member count to the API view. */
export function summarizeGroup(row: GroupRow, memberCount: number): GroupView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    externalId: row.external_id,
    source: row.source,
    memberCount,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Loads one groups row, or fails with GROUP_NOT_FOUND; with `lock`, holds it until the transaction ends. */
export async function loadGroupRow(db: Db, id: number, lock = false): Promise<GroupRow> {
  let query = db.selectFrom('groups').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = Number.isSafeInteger(id) ? await query.executeTakeFirst() : undefined;
  if (!row) throw new AppError('GROUP_NOT_FOUND', `There is no group with id ${id}.`);
  return row;
}

/** Counts the members of a group. */
export async function memberCount(db: Db, groupId: number): Promise<number> {
  const row = await db
    .selectFrom('group_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('group_id', '=', groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Loads a group with its member count, or fails with GROUP_NOT_FOUND. */
export async function getGroup(db: Db, id: number): Promise<GroupView> {
  const row = await loadGroupRow(db, id);
  return summarizeGroup(row, await memberCount(db, id));
}

/** Marks a group changed: a new version (the SCIM ETag) and modification time. */
export async function bumpGroup(db: Db, id: number): Promise<void> {
  await db
    .updateTable('groups')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', id)
    .execute();
}
