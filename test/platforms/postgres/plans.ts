import type { AccessPlan, ColumnMask, PolicyRef, RowFilter } from '../../../src/policy/access-plan.ts';
import type { Condition } from '../../../src/policy/condition.ts';
import { type Mask, typeFamily } from '../../../src/policy/mask.ts';
import type { RowExpr } from '../../../src/policy/row-expr.ts';

/** The policy every hand-built plan names. */
export const POLICY: PolicyRef = { id: 1, policyKey: 'test-policy', name: 'Test policy', scope: 'global' };

/** Builds an access plan by hand, as planning would produce it for one table. */
export function planOf(input: {
  readonly id: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: ReadonlyArray<readonly [name: string, dataType: string]>;
  readonly subscription?: Condition;
  readonly rowFilters?: readonly RowFilter[];
  readonly masks?: readonly ColumnMask[];
}): AccessPlan {
  return {
    target: {
      id: input.id,
      connectionKey: 'wh',
      database: 'postgres',
      schema: input.schema,
      table: input.table,
      tags: [],
      columns: input.columns.map(([name, dataType]) => ({ name, dataType, tags: [] })),
    },
    policies: [POLICY],
    ...(input.subscription
      ? { subscription: { condition: input.subscription, policies: [], approvable: false } }
      : {}),
    rowFilters: input.rowFilters ?? [],
    masks: input.masks ?? [],
    skipped: [],
  };
}

/** A row filter: `predicate` must hold for subjects meeting `appliesWhen`. */
export function filterOf(predicate: RowExpr, appliesWhen: Condition): RowFilter {
  return { predicate, appliesWhen, policy: POLICY, description: 'test filter' };
}

/** A column mask of a column of SQL type `dataType`. */
export function maskOf(
  column: string,
  dataType: string,
  mask: Mask,
  appliesWhen: Condition,
  extra: { readonly rowCondition?: RowExpr; readonly otherwise?: Mask } = {},
): ColumnMask {
  return {
    column,
    family: typeFamily(dataType),
    requested: { kind: 'null' },
    mask,
    appliesWhen,
    ...extra,
    policy: POLICY,
    losers: [],
  };
}
