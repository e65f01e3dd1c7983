import { sql } from 'kysely';
import { recordAudit } from '../../../audit/record.ts';
import { countDescendants, getObject, recomputeBelow } from '../../../connections/object-tree.ts';
import { SYNC_JOB_TYPE } from '../../../connections/sync-job.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { enqueue } from '../../../jobs/enqueue.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { type DataObjectView, viewObject } from './object-view.ts';

/** The most objects one settings change may cascade to, as in the reference. */
export const MAX_CASCADE = 100_000;

async function enqueueSync(ctx: ServiceContext, db: Db, path: readonly string[]): Promise<string> {
  const { bulkId } = await enqueue(
    db,
    ctx.deps.jobs.registry,
    [{ type: SYNC_JOB_TYPE, payload: { connectionKey: path[0]!, objectPath: [...path] } }],
    { createdBy: ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null },
  );
  return bulkId;
}

/** `POST /data/crawl/{objectPath}`: starts an object sync from any level; returns its bulk id. */
export async function crawlObject(
  ctx: ServiceContext,
  path: readonly string[],
): Promise<{ objectPath: string[]; bulkId: string }> {
  const result = await ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await getObject(trx, path);
    const bulkId = await enqueueSync(ctx, trx, row.path);
    await recordAudit(trx, ctx, {
      action: 'ObjectSyncRequested',
      targets: [{ type: 'dataObject', id: row.id, name: row.path.join('/') }],
      payload: { objectPath: row.path, bulkId },
    });
    return { objectPath: row.path, bulkId };
  });
  ctx.deps.jobs.wake();
  return result;
}

/** A data owner: a user or group, by id or name. */
export interface DataOwner {
  readonly type: 'user' | 'group';
  readonly id?: number | undefined;
  readonly name?: string | undefined;
}

/** Settings to change on an object; `null` removes the object's own override, so it inherits again. */
export interface SettingsChange {
  readonly isActive?: boolean | null | undefined;
  readonly activateNewChildren?: boolean | null | undefined;
  readonly dataOwners?: readonly DataOwner[] | null | undefined;
}

/**
 * `PUT /data/settings/{objectPath}`: sets or clears overrides on one object; descendants without their
 * own override follow. A status change that would cascade to more than 100,000 objects is refused.
 * Activating an object starts an object sync below it, so children never crawled while it was
 * inactive are found.
 */
export async function updateObjectSettings(
  ctx: ServiceContext,
  path: readonly string[],
  change: SettingsChange,
): Promise<{ objectPath: string[]; bulkId: string | null; object: DataObjectView }> {
  const result = await ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await getObject(trx, path);
    const isRoot = row.kind === 'connection';
    for (const key of ['isActive', 'activateNewChildren'] as const) {
      if (isRoot && change[key] === null) {
        throw new AppError('REQUEST_INVALID', 'A connection has no parent to inherit from.', {
          errors: [fieldError('body', ['settings', key], 'cannot be null on a connection')],
        });
      }
    }
    if (change.isActive !== undefined) {
      const descendants = await countDescendants(trx, row.id);
      if (descendants > MAX_CASCADE) {
        throw new AppError(
          'OBJECT_CASCADE_TOO_LARGE',
          `${row.path.join('/')} has ${descendants} objects below it; status changes may cascade to at most ${MAX_CASCADE}. Change it on its children instead.`,
        );
      }
    }
    const parent = row.parent_id
      ? await trx.selectFrom('data_objects').selectAll().where('id', '=', row.parent_id).executeTakeFirst()
      : undefined;
    const set: Record<string, unknown> = { updated_at: sql`now()` };
    if (change.isActive !== undefined) {
      const value = change.isActive ?? parent?.is_active ?? true;
      set['is_active_override'] = change.isActive;
      set['is_active'] = value;
      set['state'] = value ? 'active' : 'inactive';
    }
    if (change.activateNewChildren !== undefined)
      set['activate_new_children_override'] = change.activateNewChildren;
    if (change.dataOwners !== undefined)
      set['data_owners_override'] = change.dataOwners === null ? null : JSON.stringify(change.dataOwners);
    const updated = await trx
      .updateTable('data_objects')
      .set(set)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (change.isActive !== undefined) await recomputeBelow(trx, updated);
    const activated = row.state === 'inactive' && updated.state === 'active' && updated.kind !== 'table';
    const bulkId = activated ? await enqueueSync(ctx, trx, updated.path) : null;
    await recordAudit(trx, ctx, {
      action: 'ObjectSettingsUpdated',
      targets: [{ type: 'dataObject', id: row.id, name: row.path.join('/') }],
      payload: {
        objectPath: row.path,
        settings: change,
        stateBefore: row.state,
        stateAfter: updated.state,
        bulkId,
      },
    });
    return { objectPath: updated.path, bulkId, object: await viewObject(trx, updated) };
  });
  if (result.bulkId) ctx.deps.jobs.wake();
  return result;
}

/** `DELETE /data/object/{objectPath}`: deletes an object and everything below it (a connection entirely). */
export async function deleteObject(
  ctx: ServiceContext,
  path: readonly string[],
): Promise<{ objectPath: string[]; childCount: number }> {
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await getObject(trx, path);
    const childCount = await countDescendants(trx, row.id);
    if (row.kind === 'connection') {
      await trx.deleteFrom('connections').where('connection_key', '=', row.connection_key).execute();
    } else {
      await trx.deleteFrom('data_objects').where('id', '=', row.id).execute();
    }
    await recordAudit(trx, ctx, {
      action: row.kind === 'connection' ? 'ConnectionDeleted' : 'ObjectDeleted',
      targets: [
        {
          type: row.kind === 'connection' ? 'connection' : 'dataObject',
          id: row.kind === 'connection' ? row.connection_key : row.id,
          name: row.path.join('/'),
        },
      ],
      payload: { objectPath: row.path, childCount },
    });
    return { objectPath: row.path, childCount };
  });
}
