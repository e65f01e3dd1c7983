import type { AccessPlan } from './access-plan.ts';
import { assertNever, type Condition } from './condition.ts';
import type { Mask } from './mask.ts';

/** Returns a condition as a short English phrase ("in group Privacy or has Region = EU"). */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'always':
      return 'everyone';
    case 'never':
      return 'nobody';
    case 'inGroup':
      return `in group ${c.group}`;
    case 'hasAttribute':
      return `has ${c.key} = ${c.value}`;
    case 'hasAttributeKey':
      return `has any ${c.key}`;
    case 'usingPurpose':
      return `acting under purpose ${c.purpose}`;
    case 'subscribed':
      return 'explicitly subscribed';
    case 'and':
      return c.items
        .map((i) => (i.kind === 'or' ? `(${describeCondition(i)})` : describeCondition(i)))
        .join(' and ');
    case 'or':
      return c.items
        .map((i) => (i.kind === 'and' ? `(${describeCondition(i)})` : describeCondition(i)))
        .join(' or ');
    case 'not':
      return `not ${c.item.kind === 'and' || c.item.kind === 'or' ? `(${describeCondition(c.item)})` : describeCondition(c.item)}`;
    default:
      return assertNever(c);
  }
}

/** Returns a mask as the JSON object the API shows (`{type: 'hash'}`, `{type: 'constant', value: 'X'}`). */
export function maskView(mask: Mask): Record<string, unknown> {
  switch (mask.kind) {
    case 'custom':
      return { type: 'custom' };
    case 'roundNumber':
      return { type: 'round', bucketSize: mask.bucket };
    case 'truncateTime':
      return { type: 'round', timePrecision: mask.unit };
    default: {
      const { kind, ...rest } = mask;
      return { type: kind, ...rest };
    }
  }
}

/** A plan summarized for people and diffs: who subscribes, which rows, which masks, and from which policy. */
export interface PlanSummary {
  readonly subscription: string | null;
  readonly rowFilters: {
    readonly description: string;
    readonly appliesTo: string;
    readonly policy: string;
  }[];
  readonly masks: {
    readonly column: string;
    readonly mask: Record<string, unknown>;
    readonly appliesTo: string;
    readonly conditional: boolean;
    readonly policy: string;
  }[];
  readonly policies: string[];
}

/** Summarizes a plan. */
export function summarizePlan(plan: AccessPlan): PlanSummary {
  return {
    subscription: plan.subscription ? describeCondition(plan.subscription.condition) : null,
    rowFilters: plan.rowFilters.map((f) => ({
      description: f.description,
      appliesTo: describeCondition(f.appliesWhen),
      policy: f.policy.policyKey,
    })),
    masks: plan.masks.map((m) => ({
      column: m.column,
      mask: maskView(m.mask),
      appliesTo: describeCondition(m.appliesWhen),
      conditional: m.rowCondition !== undefined,
      policy: m.policy.policyKey,
    })),
    policies: plan.policies.map((p) => p.policyKey),
  };
}
