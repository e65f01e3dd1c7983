import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { getDomain } from '../../../domains/domain-row.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { type DomainView, getDomainView } from './domain-view.ts';

function nameTaken(name: string): AppError {
  return new AppError('DOMAIN_TAKEN', `A domain named ${JSON.stringify(name)} already exists.`, {
    errors: [fieldError('body', ['name'], 'is taken')],
  });
}

async function nameIsFree(db: Db, name: string, except?: number): Promise<boolean> {
  let query = db.selectFrom('domains').select('id').where(sql<boolean>`lower(name) = lower(${name})`);
  if (except !== undefined) query = query.where('id', '<>', except);
  return (await query.executeTakeFirst()) === undefined;
}

/** `POST /domain`: creates a domain; names are unique regardless of case (DOMAIN_TAKEN). */
export async function createDomain(
  ctx: ServiceContext,
  input: { name: string; description?: string | undefined },
): Promise<DomainView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('domains')
      .values({
        name: input.name,
        description: input.description ?? null,
        created_by: ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw nameTaken(input.name);
    await recordAudit(trx, ctx, {
      action: 'DomainCreated',
      targets: [{ type: 'domain', id: String(row.id), name: row.name }],
      payload: { name: row.name, description: row.description },
    });
    return getDomainView(trx, row.id);
  });
}

/** `PUT /domain/{id}`: renames a domain or changes its description (null clears it). */
export async function updateDomain(
  ctx: ServiceContext,
  id: number,
  change: { name?: string | undefined; description?: string | null | undefined },
): Promise<DomainView> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const before = await getDomain(trx, id);
    if (change.name !== undefined && !(await nameIsFree(trx, change.name, id))) throw nameTaken(change.name);
    const set = {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
    };
    if (Object.keys(set).length > 0) {
      await trx
        .updateTable('domains')
        .set(set)
        .where('id', '=', id)
        .execute()
        .catch((error: { code?: string }) => {
          throw error.code === '23505' ? nameTaken(change.name ?? '') : error;
        });
    }
    await recordAudit(trx, ctx, {
      action: 'DomainUpdated',
      targets: [{ type: 'domain', id: String(id), name: change.name ?? before.name }],
      payload: { before: { name: before.name, description: before.description }, change },
    });
    return getDomainView(trx, id);
  });
}

/**
 * `DELETE /domain/{id}`: deletes a domain; its data sources stay, in no domain, and its domain
 * permissions go with it.
 */
export async function deleteDomain(
  ctx: ServiceContext,
  id: number,
): Promise<{ id: number; dataSourceCount: number }> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const view = await getDomainView(trx, id);
    await trx.deleteFrom('domains').where('id', '=', id).execute();
    await recordAudit(trx, ctx, {
      action: 'DomainDeleted',
      targets: [{ type: 'domain', id: String(id), name: view.name }],
      payload: { name: view.name, dataSourceCount: view.dataSourceCount },
    });
    return { id, dataSourceCount: view.dataSourceCount };
  });
}
