import { recordAudit } from '../../../audit/record.ts';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { rolesOf } from '../../../datasources/data-source-roles.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { AppError } from '../../../errors/index.ts';
import type { ServiceContext } from '../../context.ts';
import { requestApprovals } from './request-approvals.ts';
import { type AccessRequestView, requestQuery, viewRequest } from './request-view.ts';

/**
 * `POST /dataSource/subscribe`: the caller asks to be subscribed to a data source. Only possible while
 * an active approval-type subscription policy applies to it (ACCESS_NOT_REQUESTABLE otherwise, or when
 * the caller is subscribed or owns it already). A request already pending is returned as it is
 * (`created: false`) and nothing is written.
 */
export async function requestAccess(
  ctx: ServiceContext,
  input: { readonly dataSourceId: string; readonly reason?: string | undefined },
): Promise<{ request: AccessRequestView; created: boolean }> {
  const actor = ctx.actor;
  if (actor.type !== 'USER_ACTOR') throw new AppError('AUTH_REQUIRED');
  return ctx.deps.store.db.transaction().execute(async (trx) => {
    const row = await getDataSource(trx, input.dataSourceId);
    const name = (await dataSourceNames(trx, [row])).get(row.id) ?? row.name;
    const pending = await requestQuery(trx)
      .where('r.data_source_id', '=', row.id)
      .where('r.user_id', '=', actor.id)
      .where('r.state', '=', 'pending')
      .executeTakeFirst();
    if (pending) return { request: viewRequest(pending, new Map([[row.id, name]])), created: false };
    const roles = await rolesOf(trx, row, { id: actor.id, username: actor.name });
    if (roles.has('subscriber') || roles.has('owner')) {
      throw new AppError('ACCESS_NOT_REQUESTABLE', `You can read data source ${row.id} already.`);
    }
    const approvals = await requestApprovals(trx, row.id);
    if (approvals.policyKeys.length === 0) {
      throw new AppError(
        'ACCESS_NOT_REQUESTABLE',
        `No active subscription policy of type approval applies to data source ${row.id}.`,
      );
    }
    const created = await trx
      .insertInto('access_requests')
      .values({ data_source_id: row.id, user_id: actor.id, reason: input.reason ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'AccessRequested',
      targets: [
        { type: 'accessRequest', id: String(created.id) },
        { type: 'dataSource', id: row.id, name },
      ],
      payload: { reason: input.reason ?? null, policies: approvals.policyKeys },
    });
    const view = await requestQuery(trx).where('r.id', '=', created.id).executeTakeFirstOrThrow();
    return { request: viewRequest(view, new Map([[row.id, name]])), created: true };
  });
}
