import { ALWAYS, and, type Condition, NEVER, not, or } from './condition.ts';
import type { RowExpr } from './row-expr.ts';

/**
 * Returns the subject condition a parsed expression amounts to when it tests only the person querying
 * (`@isInGroups('A') AND @hasAttribute('k','v')`, TRUE, FALSE and their AND, OR, NOT), or undefined
 * when any part of it reads the row (a column, a comparison, a lookup...).
 */
export function subjectCondition(expr: RowExpr): Condition | undefined {
  switch (expr.kind) {
    case 'subject':
      return expr.condition;
    case 'literal':
      return expr.value === true ? ALWAYS : expr.value === false ? NEVER : undefined;
    case 'not': {
      const item = subjectCondition(expr.item);
      return item === undefined ? undefined : not(item);
    }
    case 'and':
    case 'or': {
      const items: Condition[] = [];
      for (const part of expr.items) {
        const c = subjectCondition(part);
        if (c === undefined) return undefined;
        items.push(c);
      }
      return expr.kind === 'and' ? and(...items) : or(...items);
    }
    default:
      return undefined;
  }
}
