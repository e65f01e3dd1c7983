import type { A_Expr, Node } from 'libpg-query';
import {
  type ArithOp,
  andRows,
  type CompareOp,
  compare,
  literal,
  orRows,
  type RowExpr,
} from '../row-expr.ts';
import type { TranslateContext } from './context.ts';
import { translateAt } from './steward-functions.ts';
import { functionCall } from './translate-call.ts';

const COMPARE_OPS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
const ARITH_OPS = new Set<string>(['+', '-', '*', '/', '%']);
/** The parser's names of LIKE and ILIKE, with and without NOT. */
const LIKE_OPS: Readonly<Record<string, { caseInsensitive: boolean; negated: boolean }>> = {
  '~~': { caseInsensitive: false, negated: false },
  '!~~': { caseInsensitive: false, negated: true },
  '~~*': { caseInsensitive: true, negated: false },
  '!~~*': { caseInsensitive: true, negated: true },
};

/**
 * Translates an operator expression: comparisons, arithmetic, `||`, LIKE and ILIKE, IN lists, BETWEEN
 * (as `>=` and `<=`), NULLIF, and prefix `@` (Steward functions). Any other operator is rejected.
 */
export function translateOperator(node: Node, expr: A_Expr, ctx: TranslateContext): RowExpr {
  const op = operatorName(expr);
  switch (expr.kind) {
    case 'AEXPR_OP':
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      if (op === undefined) return ctx.reject(node, 'uses a schema-qualified operator, which is not allowed');
      return expr.lexpr === undefined ? prefix(node, expr, op, ctx) : binary(node, expr, op, ctx);
    case 'AEXPR_IN': {
      const items = listItems(expr.rexpr);
      if (items === undefined) return ctx.reject(node, 'is not a list of values in parentheses');
      return {
        kind: 'inList',
        value: ctx.value(expr.lexpr),
        items: items.map((i) => ctx.value(i)),
        negated: op === '<>',
      };
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN': {
      const [low, high] = listItems(expr.rexpr) ?? [];
      const value = ctx.value(expr.lexpr);
      const lo = ctx.value(low);
      const hi = ctx.value(high);
      return expr.kind === 'AEXPR_BETWEEN'
        ? andRows(compare('>=', value, lo), compare('<=', value, hi))
        : orRows(compare('<', value, lo), compare('>', value, hi));
    }
    case 'AEXPR_NULLIF':
      return functionCall(
        node,
        'nullif',
        [expr.lexpr, expr.rexpr].filter((n) => n !== undefined),
        ctx,
      );
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM':
      return ctx.reject(
        node,
        'uses BETWEEN SYMMETRIC, which is not allowed; order the bounds and use BETWEEN',
      );
    case 'AEXPR_SIMILAR':
      return ctx.reject(node, 'uses SIMILAR TO, which is not allowed; use LIKE');
    default:
      return ctx.reject(node, 'uses an operator that is not allowed');
  }
}

function prefix(node: Node, expr: A_Expr, op: string, ctx: TranslateContext): RowExpr {
  if (op === '@') return translateAt(node, expr, ctx);
  if (op === '-') return { kind: 'arith', op: '-', left: literal(0), right: ctx.value(expr.rexpr) };
  if (op === '+') return ctx.value(expr.rexpr);
  return ctx.reject(node, atHint(op) ?? `uses the prefix operator ${op}, which is not allowed`);
}

function binary(node: Node, expr: A_Expr, op: string, ctx: TranslateContext): RowExpr {
  if (COMPARE_OPS.has(op)) return compare(op as CompareOp, ctx.any(expr.lexpr), ctx.any(expr.rexpr));
  if (ARITH_OPS.has(op)) {
    return { kind: 'arith', op: op as ArithOp, left: ctx.value(expr.lexpr), right: ctx.value(expr.rexpr) };
  }
  if (op === '||') {
    const items = [ctx.value(expr.lexpr), ctx.value(expr.rexpr)].flatMap((i) =>
      i.kind === 'concat' ? i.items : [i],
    );
    return { kind: 'concat', items };
  }
  const like = Object.hasOwn(LIKE_OPS, op) ? LIKE_OPS[op] : undefined;
  if (like !== undefined) {
    if (expr.rexpr !== undefined && 'FuncCall' in expr.rexpr && isLikeEscape(expr.rexpr)) {
      return ctx.reject(node, 'uses LIKE ... ESCAPE, which is not allowed');
    }
    return { kind: 'like', value: ctx.value(expr.lexpr), pattern: ctx.value(expr.rexpr), ...like };
  }
  return ctx.reject(node, atHint(op) ?? `uses the operator ${op}, which is not allowed`);
}

/** PostgreSQL reads `x=@username` as operator `=@`; say how to write it instead. */
function atHint(op: string): string | undefined {
  return op.includes('@') && op !== '@'
    ? `reads as the operator ${op}; put a space before @ (as in "x = @username")`
    : undefined;
}

function operatorName(expr: A_Expr): string | undefined {
  const names = expr.name ?? [];
  const only = names.length === 1 ? names[0] : undefined;
  return only !== undefined && 'String' in only ? only.String.sval : undefined;
}

function listItems(node: Node | undefined): readonly Node[] | undefined {
  return node !== undefined && 'List' in node ? (node.List.items ?? []) : undefined;
}

function isLikeEscape(node: Node): boolean {
  if (!('FuncCall' in node)) return false;
  const names = node.FuncCall.funcname ?? [];
  const last = names[names.length - 1];
  return last !== undefined && 'String' in last && last.String.sval === 'like_escape';
}
