import { assertNever } from '../condition.ts';
import type { RowExpr } from '../row-expr.ts';

/** Returns the direct sub-expressions of a row expression, in reading order. */
export function rowChildren(expr: RowExpr): readonly RowExpr[] {
  switch (expr.kind) {
    case 'column':
    case 'columnTagged':
    case 'columnReference':
    case 'lookupColumn':
    case 'literal':
    case 'username':
    case 'subject':
      return [];
    case 'inSubjectValues':
    case 'isNull':
    case 'cast':
      return [expr.value];
    case 'compare':
    case 'arith':
      return [expr.left, expr.right];
    case 'inList':
      return [expr.value, ...expr.items];
    case 'like':
      return [expr.value, expr.pattern];
    case 'and':
    case 'or':
    case 'concat':
      return expr.items;
    case 'not':
      return [expr.item];
    case 'call':
      return expr.args;
    case 'inLookup':
      return expr.filter === undefined ? [expr.value] : [expr.value, expr.filter];
    case 'sample':
      return [expr.key];
    case 'timeWindow':
      return [expr.column];
    default:
      return assertNever(expr);
  }
}

/** Returns a copy of the expression with each direct sub-expression replaced by `f` of it. */
export function mapRowChildren(expr: RowExpr, f: (child: RowExpr) => RowExpr): RowExpr {
  switch (expr.kind) {
    case 'column':
    case 'columnTagged':
    case 'columnReference':
    case 'lookupColumn':
    case 'literal':
    case 'username':
    case 'subject':
      return expr;
    case 'inSubjectValues':
    case 'isNull':
    case 'cast':
      return { ...expr, value: f(expr.value) };
    case 'compare':
    case 'arith':
      return { ...expr, left: f(expr.left), right: f(expr.right) };
    case 'inList':
      return { ...expr, value: f(expr.value), items: expr.items.map(f) };
    case 'like':
      return { ...expr, value: f(expr.value), pattern: f(expr.pattern) };
    case 'and':
    case 'or':
    case 'concat':
      return { ...expr, items: expr.items.map(f) };
    case 'not':
      return { ...expr, item: f(expr.item) };
    case 'call':
      return { ...expr, args: expr.args.map(f) };
    case 'inLookup':
      return expr.filter === undefined
        ? { ...expr, value: f(expr.value) }
        : { ...expr, value: f(expr.value), filter: f(expr.filter) };
    case 'sample':
      return { ...expr, key: f(expr.key) };
    case 'timeWindow':
      return { ...expr, column: f(expr.column) };
    default:
      return assertNever(expr);
  }
}
