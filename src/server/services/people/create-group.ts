import { type Insertable, sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db, GroupsTable } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { type GroupRow, type GroupView, summarizeGroup } from './group-view.ts';

/** The fields of a new group created through the REST API. */
export interface NewGroup {
  readonly name: string;
  readonly description?: string | undefined;
}

/** The GROUP_TAKEN error for a group name, naming the field it came from. */
export function groupNameTaken(name: string, field: readonly string[]): AppError {
  return new AppError('GROUP_TAKEN', `The group name ${JSON.stringify(name)} is taken.`, {
    errors: [fieldError('body', field, 'is taken')],
  });
}

/** Inserts a group unless its name is taken in any letter case; returns the new row, or undefined. */
export async function insertGroup(db: Db, values: Insertable<GroupsTable>): Promise<GroupRow | undefined> {
  return db
    .insertInto('groups')
    .values(values)
    .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Creates an empty group and audits it as `GroupCreated`; a taken name is GROUP_TAKEN (409). */
export async function createGroup(ctx: ServiceContext, input: NewGroup): Promise<GroupView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await insertGroup(trx, { name: input.name, description: input.description ?? null });
    if (!row) throw groupNameTaken(input.name, ['name']);
    await recordAudit(trx, ctx, {
      action: 'GroupCreated',
      targets: [{ type: 'group', id: String(row.id), name: row.name }],
      payload: { via: 'api', name: row.name },
    });
    return summarizeGroup(row, 0);
  });
}
