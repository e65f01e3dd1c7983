import { createHash } from 'node:crypto';
import type { AccessPlan } from '../../../policy/access-plan.ts';
import { isGoverned } from '../../../policy/access-plan.ts';
import { planDataSource } from '../../../policy/plan.ts';
import type { Db } from '../../../store/schema.ts';
import { loadPolicies, loadPurposeNames } from './load-policies.ts';
import { loadPlanTargets, type TargetFilter } from './load-targets.ts';

/** Plans of data sources, with what planning read. */
export interface ComputedPlans {
  /** Every data source's plan, governed or not. */
  readonly plans: readonly AccessPlan[];
  /** Active policies that exist at all (planning may have applied none of them). */
  readonly activePolicies: number;
  /** Policy id -> version, of the policies read. */
  readonly versions: ReadonlyMap<number, number>;
}

/** Computes the current access plan of the data sources the filter selects, from the store. */
export async function computePlans(db: Db, filter: TargetFilter = {}): Promise<ComputedPlans> {
  const [policies, targets, purposes, versions] = await Promise.all([
    loadPolicies(db),
    loadPlanTargets(db, filter),
    loadPurposeNames(db),
    db.selectFrom('policies').select(['id', 'version']).execute(),
  ]);
  const plans = targets.map((t) => planDataSource(policies, t, { purposes }));
  return {
    plans,
    activePolicies: policies.filter((p) => !p.staged).length,
    versions: new Map(versions.map((v) => [v.id, v.version])),
  };
}

/** Returns a stable hash of a plan, to tell whether what is enforced is what is wanted. */
export function planHash(plan: AccessPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex');
}

/** Keeps the plans that govern their data source. */
export function governedPlans(plans: readonly AccessPlan[]): AccessPlan[] {
  return plans.filter(isGoverned);
}
