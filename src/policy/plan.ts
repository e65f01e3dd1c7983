import type {
  AccessPlan,
  ColumnMask,
  LosingPolicy,
  PlanTarget,
  PolicyRef,
  RowFilter,
  SkippedPolicy,
  SubscriptionPlan,
} from './access-plan.ts';
import { appliesTo, matchField } from './circumstances.ts';
import { ALWAYS, and, type Condition, NEVER, not, or, SUBSCRIBED, usingPurpose } from './condition.ts';
import { fitMask } from './fit-mask.ts';
import { typeFamily } from './mask.ts';
import type { Audience, DataRule, FieldSelector, Policy } from './policy.ts';
import { column, inSubjectValues, type RowExpr, subjectFact } from './row-expr.ts';
import { resolveColumns } from './where/lookups.ts';

/** Facts planning needs beyond policies and the data source. */
export interface PlanContext {
  /** Every purpose name, for `Purpose Restriction` to `ANY` purpose. */
  readonly purposes: readonly string[];
}

const EMPTY_CONTEXT: PlanContext = { purposes: [] };

/** Returns the reference to a policy that plans and explanations carry. */
export function policyRef(policy: Policy): PolicyRef {
  return { id: policy.id, policyKey: policy.policyKey, name: policy.name, scope: policy.scope };
}

/** Returns the subject condition under which a rule applies. */
export function audienceCondition(audience: Audience): Condition {
  switch (audience.kind) {
    case 'everyone':
      return ALWAYS;
    case 'except':
      return not(audience.condition);
    case 'who':
      return audience.condition;
  }
}

function subscriptionPlan(policies: readonly Policy[]): SubscriptionPlan | undefined {
  const subs = policies.filter((p) => p.subscription !== undefined);
  if (subs.length === 0) return undefined;
  const required: Condition[] = [];
  const shared: Condition[] = [];
  const guardrails: Condition[] = [];
  let approvable = false;
  for (const p of subs) {
    const spec = p.subscription;
    if (!spec) continue;
    const access = spec.access;
    const grant =
      access.kind === 'anyone'
        ? ALWAYS
        : access.kind === 'entitlements'
          ? access.condition
          : // Individually selected users and approved requests are the explicit subscribers.
            NEVER;
    if (access.kind === 'approval') approvable = true;
    if (spec.role === 'guardrail') guardrails.push(grant);
    else if (spec.shareResponsibility) shared.push(grant);
    else required.push(grant);
  }
  const grants =
    required.length + shared.length === 0
      ? NEVER
      : and(...required, shared.length > 0 ? or(...shared) : ALWAYS);
  return {
    condition: and(or(grants, SUBSCRIBED), ...guardrails),
    policies: subs.map((p) => ({ policy: policyRef(p), role: p.subscription?.role ?? 'grant' })),
    approvable,
  };
}

interface MaskCandidate {
  readonly mask: Omit<ColumnMask, 'losers'>;
  readonly depth: number;
  readonly order: number;
}

type RuleOutcome =
  | { readonly masks: MaskCandidate[]; readonly filters: RowFilter[] }
  | { readonly skipped: string };

function firstColumn(target: PlanTarget, selector: FieldSelector) {
  return target.columns.find((c) => matchField(selector, c) !== undefined);
}

function describeSelector(selector: FieldSelector): string {
  switch (selector.kind) {
    case 'columnTag':
      return `no column is tagged ${selector.tag}`;
    case 'columnName':
      return `column ${selector.name} does not exist`;
    case 'columnRegex':
      return `no column name matches /${selector.regex}/`;
    case 'anyTag':
      return 'no column has a tag';
    case 'noTags':
      return 'every column has a tag';
  }
}

function planRule(
  rule: DataRule,
  policy: Policy,
  target: PlanTarget,
  context: PlanContext,
  order: number,
): RuleOutcome {
  const ref = policyRef(policy);
  const appliesWhen = audienceCondition(rule.audience);
  const filter = (predicate: RowExpr, description: string): RuleOutcome => ({
    masks: [],
    filters: [{ predicate, appliesWhen, policy: ref, description }],
  });
  switch (rule.kind) {
    case 'masking': {
      let rowCondition: RowExpr | undefined;
      if (rule.conditionalPredicate) {
        const resolved = resolveColumns(rule.conditionalPredicate, target);
        if (!resolved.ok) return { skipped: resolved.reason };
        rowCondition = resolved.expr;
      }
      const masks: MaskCandidate[] = [];
      for (const col of target.columns) {
        let best: ReturnType<typeof matchField>;
        for (const selector of rule.fields) {
          const m = matchField(selector, col);
          if (m && (!best || m.depth > best.depth)) best = m;
        }
        if (!best) continue;
        const family = typeFamily(col.dataType);
        let spec = rule.mask;
        if (spec.kind === 'custom') {
          const resolved = resolveColumns(spec.expression, target);
          if (!resolved.ok) return { skipped: resolved.reason };
          spec = { kind: 'custom', expression: resolved.expr };
        }
        const fitted = fitMask(spec, family);
        const otherwise = rule.otherwise ? fitMask(rule.otherwise, family).mask : undefined;
        masks.push({
          depth: best.depth,
          order,
          mask: {
            column: col.name,
            family,
            requested: rule.mask,
            mask: fitted.mask,
            ...(fitted.fallback ? { fallback: fitted.fallback } : {}),
            appliesWhen,
            ...(rowCondition ? { rowCondition } : {}),
            ...(otherwise ? { otherwise } : {}),
            policy: ref,
            ...(best.tag ? { tag: best.tag } : {}),
          },
        });
      }
      return { masks, filters: [] };
    }
    case 'rowByEntitlement': {
      const col = firstColumn(target, rule.field);
      if (!col) return { skipped: describeSelector(rule.field) };
      return rule.match.kind === 'attribute'
        ? filter(
            inSubjectValues(column(col.name), { kind: 'attribute', key: rule.match.key }),
            `rows where ${col.name} is one of your ${rule.match.key} values`,
          )
        : filter(
            inSubjectValues(column(col.name), { kind: 'groups' }),
            `rows where ${col.name} is one of your groups`,
          );
    }
    case 'customWhere': {
      const resolved = resolveColumns(rule.where, target);
      if (!resolved.ok) return { skipped: resolved.reason };
      return filter(resolved.expr, 'rows matching a custom WHERE clause');
    }
    case 'time': {
      const col = firstColumn(target, rule.field);
      if (!col) return { skipped: describeSelector(rule.field) };
      return filter(
        {
          kind: 'timeWindow',
          column: column(col.name),
          direction: rule.direction,
          amount: rule.amount,
          unit: rule.unit,
        },
        `rows whose ${col.name} is ${rule.direction === 'newer' ? 'within' : 'older than'} ${rule.amount} ${rule.unit}(s)`,
      );
    }
    case 'minimization': {
      const col = rule.field ? firstColumn(target, rule.field) : target.columns[0];
      if (!col) return { skipped: rule.field ? describeSelector(rule.field) : 'the table has no column' };
      return filter(
        { kind: 'sample', percent: rule.percent, key: column(col.name) },
        `a stable ${rule.percent}% of rows (by ${col.name})`,
      );
    }
    case 'purposeRestriction': {
      const names = rule.purposes.some((p) => p.toUpperCase() === 'ANY') ? context.purposes : rule.purposes;
      return filter(
        subjectFact(or(...names.map(usingPurpose))),
        `only when acting under ${rule.purposes.length === 1 ? 'purpose' : 'one of the purposes'} ${rule.purposes.join(', ')}`,
      );
    }
  }
}

function resolveMasks(candidates: readonly MaskCandidate[]): ColumnMask[] {
  const byColumn = new Map<string, MaskCandidate[]>();
  for (const c of candidates) {
    const list = byColumn.get(c.mask.column) ?? [];
    list.push(c);
    byColumn.set(c.mask.column, list);
  }
  const out: ColumnMask[] = [];
  for (const list of byColumn.values()) {
    const sorted = [...list].sort((a, b) => b.depth - a.depth || a.order - b.order);
    const [winner, ...rest] = sorted as [MaskCandidate, ...MaskCandidate[]];
    const losers: LosingPolicy[] = rest.map((l) => ({
      policy: l.mask.policy,
      reason:
        l.depth < winner.depth
          ? `${winner.mask.policy.name} targets ${winner.mask.tag ? `the deeper tag ${winner.mask.tag}` : 'the column more specifically'}${l.mask.tag ? ` than ${l.mask.tag}` : ''}`
          : l.mask.policy.id === winner.mask.policy.id
            ? `an earlier rule of the same policy masks ${l.mask.column}`
            : `${winner.mask.policy.name} was authored first`,
    }));
    out.push({ ...winner.mask, losers });
  }
  return out;
}

/**
 * Plans one data source: selects the active policies that apply, combines subscription policies,
 * resolves each data rule against the data source's columns and tags (skipping, with the reason, a
 * rule whose column or tag is absent), ANDs row filters, and keeps one mask per column (deeper tag
 * first, then first authored), recording the losers. `policies` must be in authoring order (by id).
 */
export function planDataSource(
  policies: readonly Policy[],
  target: PlanTarget,
  context: PlanContext = EMPTY_CONTEXT,
): AccessPlan {
  const applicable = policies.filter((p) => appliesTo(p, target));
  const applied = new Set<number>();
  const skipped: SkippedPolicy[] = [];
  const masks: MaskCandidate[] = [];
  const rowFilters: RowFilter[] = [];
  let order = 0;
  for (const policy of applicable) {
    if (policy.subscription) applied.add(policy.id);
    for (const rule of policy.rules) {
      const outcome = planRule(rule, policy, target, context, order++);
      if ('skipped' in outcome) {
        skipped.push({ policy: policyRef(policy), reason: outcome.skipped });
        continue;
      }
      if (outcome.masks.length > 0 || outcome.filters.length > 0) applied.add(policy.id);
      masks.push(...outcome.masks);
      rowFilters.push(...outcome.filters);
    }
  }
  const columnOrder = new Map(target.columns.map((c, i) => [c.name, i]));
  const subscription = subscriptionPlan(applicable);
  return {
    target,
    policies: applicable.filter((p) => applied.has(p.id)).map(policyRef),
    ...(subscription ? { subscription } : {}),
    rowFilters,
    masks: resolveMasks(masks).sort(
      (a, b) => (columnOrder.get(a.column) ?? 0) - (columnOrder.get(b.column) ?? 0),
    ),
    skipped,
  };
}
