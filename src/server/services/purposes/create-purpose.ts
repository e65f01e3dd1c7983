import { recordAudit } from '../../../audit/record.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import type { ServiceContext } from '../../context.ts';
import { requestPurposeReplan } from './purpose-replan.ts';
import { type PurposeView, viewPurpose } from './purpose-view.ts';

/**
 * `POST /purpose`: creates a purpose people may act under; names are unique regardless of case
 * (PURPOSE_TAKEN). Restrictions to any purpose now include it, so their data sources are re-planned.
 */
export async function createPurpose(
  ctx: ServiceContext,
  input: { readonly name: string; readonly description?: string | undefined },
): Promise<PurposeView> {
  const created = await ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('purposes')
      .values({ name: input.name, description: input.description ?? null })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      throw new AppError('PURPOSE_TAKEN', `A purpose named ${JSON.stringify(input.name)} already exists.`, {
        errors: [fieldError('body', ['name'], 'is taken')],
      });
    }
    await requestPurposeReplan(trx);
    await recordAudit(trx, ctx, {
      action: 'PurposeCreated',
      targets: [{ type: 'purpose', id: String(row.id), name: row.name }],
      payload: { name: row.name, description: row.description },
    });
    return viewPurpose(row);
  });
  ctx.deps.jobs.wake();
  return created;
}
