import type { DataObjectRow } from '../../../connections/object-tree.ts';
import { rolesOf } from '../../../datasources/data-source-roles.ts';
import { hasPermission } from '../../../domain/actor.ts';
import { appliesTo } from '../../../policy/circumstances.ts';
import type { Approval, Policy } from '../../../policy/policy.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { loadPolicies } from '../policies/load-policies.ts';
import { loadPlanTargets } from '../policies/load-targets.ts';

/** The active approval-type subscription policies on a data source, and who they let approve. */
export interface RequestApprovals {
  readonly policyKeys: readonly string[];
  readonly approvals: readonly Approval[];
}

/**
 * Returns the active subscription policies of type `approval` that apply to a data source (by the
 * planner's `appliesTo`: local to it, or global by circumstances) and the approvals they list. Pass
 * `stored` (every stored policy, from `loadPolicies`) when asking about many data sources.
 */
export async function requestApprovals(
  db: Db,
  dataSourceId: string,
  stored?: readonly Policy[],
): Promise<RequestApprovals> {
  const [target] = await loadPlanTargets(db, { dataSourceIds: [dataSourceId] });
  if (!target) return { policyKeys: [], approvals: [] };
  const policies = (stored ?? (await loadPolicies(db))).filter(
    (p) => p.subscription?.access.kind === 'approval' && appliesTo(p, target),
  );
  return {
    policyKeys: policies.map((p) => p.policyKey),
    approvals: policies.flatMap((p) =>
      p.subscription?.access.kind === 'approval' ? p.subscription.access.approvals : [],
    ),
  };
}

/**
 * Returns true when the actor may decide access requests to the data source: an owner of it when an
 * approval lists OWNER, a holder of a global permission an approval lists; GOVERNANCE when no approval
 * policy applies any more. Approvals that name a specific approver accept any holder of the permission.
 */
export async function mayDecide(
  db: Db,
  ctx: ServiceContext,
  row: DataObjectRow,
  approvals: RequestApprovals,
): Promise<boolean> {
  if (ctx.actor.type !== 'USER_ACTOR') return false;
  if (approvals.approvals.length === 0) return hasPermission(ctx.actor, 'GOVERNANCE');
  if (
    approvals.approvals.some(
      (a) => a.requiredPermission !== 'OWNER' && hasPermission(ctx.actor, a.requiredPermission),
    )
  ) {
    return true;
  }
  if (!approvals.approvals.some((a) => a.requiredPermission === 'OWNER')) return false;
  return (await rolesOf(db, row, { id: ctx.actor.id, username: ctx.actor.name })).has('owner');
}
