/**
 * Subject conditions: boolean facts about the person querying, never about a row. One model serves
 * subscription policies ("users in group Finance"), data policy exceptions ("for everyone except
 * Privacy") and purpose restrictions. Nodes are immutable and discriminated by `kind`.
 */
export type Condition =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  /** Member of the group. */
  | { readonly kind: 'inGroup'; readonly group: string }
  /** Holds this value of the attribute. */
  | { readonly kind: 'hasAttribute'; readonly key: string; readonly value: string }
  /** Holds any value of the attribute. */
  | { readonly kind: 'hasAttributeKey'; readonly key: string }
  /** Acting under the purpose. */
  | { readonly kind: 'usingPurpose'; readonly purpose: string }
  /** Explicitly subscribed to the data source (owner, approved request, individually selected). */
  | { readonly kind: 'subscribed' }
  | { readonly kind: 'and'; readonly items: readonly Condition[] }
  | { readonly kind: 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition };

/** The condition that always holds. */
export const ALWAYS: Condition = Object.freeze({ kind: 'always' });
/** The condition that never holds. */
export const NEVER: Condition = Object.freeze({ kind: 'never' });

/** Member of `group`. */
export const inGroup = (group: string): Condition => ({ kind: 'inGroup', group });
/** Holds `value` for attribute `key`. */
export const hasAttribute = (key: string, value: string): Condition => ({ kind: 'hasAttribute', key, value });
/** Holds any value for attribute `key`. */
export const hasAttributeKey = (key: string): Condition => ({ kind: 'hasAttributeKey', key });
/** Acting under `purpose`. */
export const usingPurpose = (purpose: string): Condition => ({ kind: 'usingPurpose', purpose });
/** Explicitly subscribed to the data source. */
export const SUBSCRIBED: Condition = Object.freeze({ kind: 'subscribed' });

/** Conjunction, simplified: `always` items drop out, any `never` makes it `never`, one item is itself. */
export function and(...items: readonly Condition[]): Condition {
  const kept: Condition[] = [];
  for (const item of items) {
    if (item.kind === 'never') return NEVER;
    if (item.kind === 'always') continue;
    if (item.kind === 'and') kept.push(...item.items);
    else kept.push(item);
  }
  if (kept.length === 0) return ALWAYS;
  if (kept.length === 1) return kept[0] as Condition;
  return { kind: 'and', items: kept };
}

/** Disjunction, simplified: `never` items drop out, any `always` makes it `always`, one item is itself. */
export function or(...items: readonly Condition[]): Condition {
  const kept: Condition[] = [];
  for (const item of items) {
    if (item.kind === 'always') return ALWAYS;
    if (item.kind === 'never') continue;
    if (item.kind === 'or') kept.push(...item.items);
    else kept.push(item);
  }
  if (kept.length === 0) return NEVER;
  if (kept.length === 1) return kept[0] as Condition;
  return { kind: 'or', items: kept };
}

/** Negation, simplified: `not always` is `never`, `not not x` is `x`. */
export function not(item: Condition): Condition {
  if (item.kind === 'always') return NEVER;
  if (item.kind === 'never') return ALWAYS;
  if (item.kind === 'not') return item.item;
  return { kind: 'not', item };
}

/** Throws at compile time when a switch over a discriminated union misses a case. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected node: ${JSON.stringify(value)}`);
}
