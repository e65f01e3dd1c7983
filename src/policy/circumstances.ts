import { tagMatches } from '../tags/tag-match.ts';
import type { PlanTarget } from './access-plan.ts';
import type { Circumstance, FieldSelector, Policy } from './policy.ts';

const regexCache = new Map<string, RegExp>();

/** Returns a cached case-(in)sensitive RegExp for a policy's column-name pattern. */
export function columnPattern(regex: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}:${regex}`;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(regex, caseInsensitive ? 'iu' : 'u');
    regexCache.set(key, re);
  }
  return re;
}

function matchesCircumstance(c: Circumstance, target: PlanTarget): boolean {
  switch (c.kind) {
    case 'tags':
      return target.tags.some((t) => tagMatches(c.tag, t));
    case 'columnTags':
      return target.columns.some((col) => col.tags.some((t) => tagMatches(c.tag, t)));
    case 'columnRegex': {
      const re = columnPattern(c.regex, c.caseInsensitive);
      return target.columns.some((col) => re.test(col.name));
    }
    case 'connection':
      return target.connectionKey === c.connectionKey;
  }
}

/**
 * Returns true when an active policy applies to the data source: a local policy to its own data
 * source, a global one when its circumstances hold (any or all of them; none means everywhere).
 */
export function appliesTo(policy: Policy, target: PlanTarget): boolean {
  if (policy.staged) return false;
  if (policy.scope === 'local') return policy.dataSourceId === target.id;
  if (policy.circumstances.length === 0) return true;
  return policy.circumstanceOperator === 'all'
    ? policy.circumstances.every((c) => matchesCircumstance(c, target))
    : policy.circumstances.some((c) => matchesCircumstance(c, target));
}

/** How specific a selector's match is: deeper tags beat shallower ones; a named column beats any tag. */
export interface FieldMatch {
  readonly depth: number;
  readonly tag?: string;
}

/** Returns how a selector matches a column, or undefined when it does not. */
export function matchField(
  selector: FieldSelector,
  column: { readonly name: string; readonly tags: readonly string[] },
): FieldMatch | undefined {
  switch (selector.kind) {
    case 'columnTag':
      return column.tags.some((t) => tagMatches(selector.tag, t))
        ? { depth: selector.tag.split('.').length, tag: selector.tag }
        : undefined;
    case 'columnName':
      return column.name === selector.name ? { depth: 1000 } : undefined;
    case 'columnRegex':
      return columnPattern(selector.regex, selector.caseInsensitive).test(column.name)
        ? { depth: 0 }
        : undefined;
    case 'anyTag':
      return column.tags.length > 0 ? { depth: 0 } : undefined;
    case 'noTags':
      return column.tags.length === 0 ? { depth: 0 } : undefined;
  }
}
