import { recordAudit } from '../../../audit/record.ts';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { rolesOf } from '../../../datasources/data-source-roles.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import { AppError } from '../../../errors/index.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { auditingDenials, forbiddenOn } from '../datasources/authorize.ts';
import { saveMembership } from '../datasources/members.ts';
import { mayDecide, requestApprovals } from './request-approvals.ts';
import { type AccessRequestView, requestQuery, viewRequest } from './request-view.ts';

/** A decision on an access request. */
export type Decision = 'approve' | 'deny';

async function decideIn(trx: Db, ctx: ServiceContext, id: number, decision: Decision, note?: string) {
  const request = await trx
    .selectFrom('access_requests')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!request) throw new AppError('ACCESS_REQUEST_NOT_FOUND', `There is no access request ${id}.`);
  const row =
    decision === 'approve'
      ? await getDataSource(trx, request.data_source_id)
      : await trx
          .selectFrom('data_objects')
          .selectAll()
          .where('id', '=', request.data_source_id)
          .executeTakeFirstOrThrow();
  const target = { type: 'accessRequest', id: String(id) };
  if (ctx.actor.id === request.user_id) {
    throw forbiddenOn(target, 'You cannot decide your own access request.', { requiredRoles: ['approver'] });
  }
  const approvals = await requestApprovals(trx, row.id);
  if (!(await mayDecide(trx, ctx, row, approvals))) {
    const who = approvals.approvals.map((a) => a.requiredPermission);
    throw forbiddenOn(
      target,
      `Deciding requests to data source ${row.id} needs ${who.length > 0 ? [...new Set(who)].join(' or ') : 'GOVERNANCE'}${who.includes('OWNER') ? ' (OWNER: an owner of the data source)' : ''}.`,
      { requiredPermissions: who.length > 0 ? [...new Set(who)] : ['GOVERNANCE'] },
    );
  }
  if (request.state !== 'pending') {
    throw new AppError('ACCESS_REQUEST_DECIDED', `Access request ${id} was already ${request.state}.`, {
      extensions: { state: request.state },
    });
  }
  const decider = ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null;
  if (decision === 'approve') {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', request.user_id)
      .executeTakeFirstOrThrow();
    // An owner stays an owner; anyone else becomes a subscriber (an expert too: subscribing wins).
    if (!(await rolesOf(trx, row, user)).has('owner')) {
      await saveMembership(trx, {
        objectId: row.id,
        userId: request.user_id,
        role: 'subscriber',
        expiresAt: null,
        addedBy: decider,
      });
    }
  }
  await trx
    .updateTable('access_requests')
    .set({
      state: decision === 'approve' ? 'approved' : 'denied',
      decided_at: new Date(),
      decided_by: decider,
      decision_note: note ?? null,
    })
    .where('id', '=', id)
    .execute();
  const name = (await dataSourceNames(trx, [row])).get(row.id) ?? row.name;
  await recordAudit(trx, ctx, {
    action: decision === 'approve' ? 'AccessRequestApproved' : 'AccessRequestDenied',
    targets: [
      target,
      { type: 'dataSource', id: row.id, name },
      { type: 'user', id: String(request.user_id) },
    ],
    payload: { note: note ?? null, policies: approvals.policyKeys },
  });
  const view = await requestQuery(trx).where('r.id', '=', id).executeTakeFirstOrThrow();
  return viewRequest(view, new Map([[row.id, name]]));
}

/**
 * `POST /requests/{id}/approve` and `/deny`: decides a pending access request. Allowed for an owner of
 * the data source when an approval policy lists OWNER, or a holder of a global permission one lists
 * (see `mayDecide`), never for the requester; ACCESS_REQUEST_DECIDED once decided. Approving subscribes
 * the requester (a `subscriber` member) and marks entitlements changed.
 */
export async function decideRequest(
  ctx: ServiceContext,
  id: number,
  decision: Decision,
  note?: string,
): Promise<AccessRequestView> {
  const view = await auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute((trx) => decideIn(trx, ctx, id, decision, note)),
  );
  ctx.deps.jobs.wake();
  return view;
}
