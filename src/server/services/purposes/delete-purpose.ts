import { recordAudit } from '../../../audit/record.ts';
import { AppError } from '../../../errors/index.ts';
import { markEntitlementsChanged } from '../../../people/entitlements-changed.ts';
import type { ServiceContext } from '../../context.ts';
import { requestPurposeReplan } from './purpose-replan.ts';
import { type PurposeView, viewPurpose } from './purpose-view.ts';

/**
 * `DELETE /purpose/{id}`: deletes a purpose; the people acting under it no longer do, so entitlements
 * are marked changed when anyone did. Policies naming it stay (nobody satisfies it any more).
 */
export async function deletePurpose(ctx: ServiceContext, id: number): Promise<PurposeView> {
  const deleted = await ctx.deps.store.db.transaction().execute(async (trx) => {
    const users = await trx
      .selectFrom('user_purposes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('purpose_id', '=', id)
      .executeTakeFirstOrThrow();
    const row = await trx.deleteFrom('purposes').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('PURPOSE_NOT_FOUND', `There is no purpose ${id}.`);
    if (Number(users.n) > 0) await markEntitlementsChanged(trx);
    await requestPurposeReplan(trx);
    await recordAudit(trx, ctx, {
      action: 'PurposeDeleted',
      targets: [{ type: 'purpose', id: String(row.id), name: row.name }],
      payload: { name: row.name, users: Number(users.n) },
    });
    return viewPurpose(row);
  });
  ctx.deps.jobs.wake();
  return deleted;
}
