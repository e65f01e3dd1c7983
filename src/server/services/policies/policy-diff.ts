import { getDataSource } from '../../../datasources/data-source-row.ts';
import { type AccessPlan, isGoverned } from '../../../policy/access-plan.ts';
import { type PlanSummary, summarizePlan } from '../../../policy/describe.ts';
import type { Db } from '../../../store/schema.ts';
import { computePlans, planHash } from './compute-plans.ts';

/** Before and after of a data source's policies (the reference's Policy Diff). */
export interface PolicyDiff {
  readonly dataSourceId: string;
  readonly name: string;
  /** What was enforced before the last change that reached the platform (or what is enforced, when a change is pending). */
  readonly before: PlanSummary | null;
  /** What the current policies want. */
  readonly after: PlanSummary | null;
  /** True when the platform does not enforce `after` yet. */
  readonly pending: boolean;
  readonly appliedAt: string | null;
  readonly lastError: string | null;
}

const summary = (plan: unknown): PlanSummary | null => (plan ? summarizePlan(plan as AccessPlan) : null);

/** Returns the policy diff of a data source: the previous and the current plan, and whether it is pending. */
export async function policyDiff(db: Db, dataSourceId: string): Promise<PolicyDiff> {
  const row = await getDataSource(db, dataSourceId);
  const { plans } = await computePlans(db, { dataSourceIds: [row.id] });
  const plan = plans[0];
  const governed = plan && isGoverned(plan) ? plan : undefined;
  const state = await db
    .selectFrom('data_source_enforcement')
    .select(['applied_hash', 'applied_plan', 'previous_plan', 'applied_at', 'last_error'])
    .where('data_source_id', '=', row.id)
    .executeTakeFirst();
  const wantedHash = governed ? planHash(governed) : null;
  const appliedHash = state?.applied_hash ?? null;
  const pending = wantedHash !== appliedHash;
  return {
    dataSourceId: row.id,
    name: row.path.slice(1).join('.'),
    before: pending ? summary(state?.applied_plan) : summary(state?.previous_plan),
    after: governed ? summarizePlan(governed) : null,
    pending,
    appliedAt: state?.applied_at ? new Date(state.applied_at).toISOString() : null,
    lastError: state?.last_error ?? null,
  };
}
