import type { FuncCall, Node } from 'libpg-query';
import type { RowExpr, RowFunction } from '../row-expr.ts';
import type { TranslateContext } from './context.ts';

/** How many arguments each allowed function takes, and whether they may be conditions. */
const FUNCTIONS: Readonly<Record<RowFunction, { min: number; max: number; anyArgs?: true }>> = {
  lower: { min: 1, max: 1 },
  upper: { min: 1, max: 1 },
  length: { min: 1, max: 1 },
  coalesce: { min: 2, max: Number.POSITIVE_INFINITY, anyArgs: true },
  left: { min: 2, max: 2 },
  right: { min: 2, max: 2 },
  substr: { min: 2, max: 3 },
  trim: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  nullif: { min: 2, max: 2, anyArgs: true },
};

const ALLOWED = Object.keys(FUNCTIONS).join(', ');

/** Returns a reason when a call uses aggregate or window syntax (`DISTINCT`, `ORDER BY`, `FILTER`, `OVER`, `*`, `VARIADIC`). */
export function callSyntaxProblem(call: FuncCall): string | undefined {
  if (call.over !== undefined) return 'is a window function call, which is not allowed';
  if (call.agg_star || call.agg_distinct || call.agg_within_group || call.agg_filter !== undefined) {
    return 'uses aggregate syntax, which is not allowed';
  }
  if ((call.agg_order?.length ?? 0) > 0) return 'uses aggregate syntax, which is not allowed';
  if (call.func_variadic) return 'uses VARIADIC, which is not allowed';
  return undefined;
}

/** Translates a call of an allowlisted function (`trim(x)` arrives as PostgreSQL's `pg_catalog.btrim`). */
export function translateCall(node: Node, call: FuncCall, ctx: TranslateContext): RowExpr {
  const fn = allowedName(call);
  if (fn === undefined) {
    const name = nameOf(call);
    const hint = name !== undefined && STEWARD_SPELLING.has(name) ? `; Steward functions start with @` : '';
    return ctx.reject(node, `calls a function that is not allowed (allowed: ${ALLOWED})${hint}`);
  }
  return functionCall(node, fn, call.args ?? [], ctx, callSyntaxProblem(call));
}

/** Translates `fn(args)` for an allowlisted function, checking its arity; also serves COALESCE and NULLIF. */
export function functionCall(
  node: Node,
  fn: RowFunction,
  args: readonly Node[],
  ctx: TranslateContext,
  syntaxProblem?: string,
): RowExpr {
  if (syntaxProblem !== undefined) return ctx.reject(node, syntaxProblem);
  const { min, max, anyArgs } = FUNCTIONS[fn];
  if (args.length < min || args.length > max) {
    const expected =
      min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
    return ctx.reject(node, `passes ${args.length} argument(s) to ${fn}, which takes ${expected}`);
  }
  return { kind: 'call', fn, args: args.map((a) => (anyArgs ? ctx.any(a) : ctx.value(a))) };
}

const STEWARD_SPELLING = new Set([
  'attributevaluescontains',
  'groupscontains',
  'purposescontains',
  'hasattribute',
  'isingroups',
  'isusingpurpose',
  'columntagged',
  'columnreference',
  'username',
]);

function funcNames(call: FuncCall): (string | undefined)[] {
  return (call.funcname ?? []).map((n) => ('String' in n ? n.String.sval : undefined));
}

function nameOf(call: FuncCall): string | undefined {
  const names = funcNames(call);
  return names.length === 1 ? names[0]?.toLowerCase() : undefined;
}

function allowedName(call: FuncCall): RowFunction | undefined {
  const names = funcNames(call);
  if (call.funcformat === 'COERCE_SQL_SYNTAX') {
    return names[0] === 'pg_catalog' && names[1] === 'btrim' && (call.args?.length ?? 0) === 1
      ? 'trim'
      : undefined;
  }
  const name = names.length === 1 ? names[0] : undefined;
  if (name === undefined || name === 'trim' || name === 'coalesce' || name === 'nullif') return undefined;
  return Object.hasOwn(FUNCTIONS, name) ? (name as RowFunction) : undefined;
}
