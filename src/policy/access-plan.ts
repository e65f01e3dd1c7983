import type { Condition } from './condition.ts';
import type { Mask, MaskSpec, TypeFamily } from './mask.ts';
import type { RowExpr } from './row-expr.ts';

/** Names a policy in a plan and in its explanations. */
export interface PolicyRef {
  readonly id: number;
  readonly policyKey: string;
  readonly name: string;
  readonly scope: 'global' | 'local';
}

/** A data source as planning sees it: where it lives, its tags, its columns with theirs. */
export interface PlanTarget {
  /** The data source id (the table's object id). */
  readonly id: string;
  readonly connectionKey: string;
  readonly database: string;
  readonly schema: string;
  readonly table: string;
  readonly tags: readonly string[];
  readonly columns: readonly PlanColumn[];
}

/** A column of a data source, with its platform type and tags. */
export interface PlanColumn {
  readonly name: string;
  readonly dataType: string;
  readonly tags: readonly string[];
}

/**
 * Who may read a data source: `condition` over subject facts. Grants combine by their
 * `shareResponsibility` flags, explicit subscribers always qualify, and guardrails are ANDed on top.
 */
export interface SubscriptionPlan {
  readonly condition: Condition;
  readonly policies: readonly { readonly policy: PolicyRef; readonly role: 'grant' | 'guardrail' }[];
  /** True when access can be requested and approved. */
  readonly approvable: boolean;
}

/** A row filter: rows pass when the subject is outside `appliesWhen`, or `predicate` is TRUE. */
export interface RowFilter {
  readonly predicate: RowExpr;
  readonly appliesWhen: Condition;
  readonly policy: PolicyRef;
  /** What the filter does, for explain ("rows where region is one of your Region values"). */
  readonly description: string;
}

/** A policy that lost a conflict, and why. */
export interface LosingPolicy {
  readonly policy: PolicyRef;
  readonly reason: string;
}

/**
 * The mask one column gets. For a subject meeting `appliesWhen` the value is `mask` (only on rows
 * where `rowCondition` is not FALSE, when there is one); for everyone else it is `otherwise`, or the
 * clear value.
 */
export interface ColumnMask {
  readonly column: string;
  readonly family: TypeFamily;
  readonly requested: MaskSpec;
  readonly mask: Mask;
  /** Why the requested mask was replaced, when it was (`hash cannot apply to integer: NULL instead`). */
  readonly fallback?: string;
  readonly appliesWhen: Condition;
  readonly rowCondition?: RowExpr;
  readonly otherwise?: Mask;
  readonly policy: PolicyRef;
  /** The tag that selected the column for the winning policy, when a tag did. */
  readonly tag?: string;
  readonly losers: readonly LosingPolicy[];
}

/** A policy that matched a data source's circumstances but was not applied there, and why. */
export interface SkippedPolicy {
  readonly policy: PolicyRef;
  readonly reason: string;
}

/**
 * The engine-neutral access plan of one data source: the output of planning and the input of every
 * platform compiler and of the reference evaluator. It references subject facts, not people, so it
 * does not change when people do.
 */
export interface AccessPlan {
  readonly target: PlanTarget;
  /** Active policies applied here, in authoring order. */
  readonly policies: readonly PolicyRef[];
  /** Undefined when no subscription policy applies: table access stays as the platform grants it. */
  readonly subscription?: SubscriptionPlan;
  readonly rowFilters: readonly RowFilter[];
  /** One entry per masked column, in column order. */
  readonly masks: readonly ColumnMask[];
  readonly skipped: readonly SkippedPolicy[];
}

/** True when the plan governs its data source at all (some policy applies). */
export function isGoverned(plan: AccessPlan): boolean {
  return plan.subscription !== undefined || plan.rowFilters.length > 0 || plan.masks.length > 0;
}
