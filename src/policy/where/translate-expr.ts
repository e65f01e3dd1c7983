import type { BoolExpr, ColumnRef, Node, SQLValueFunction } from 'libpg-query';
import { andRows, column, notRow, orRows, type RowExpr } from '../row-expr.ts';
import { castTypeOf } from './cast-type.ts';
import { translateConstant } from './constant.ts';
import type { Scope, TranslateContext } from './context.ts';
import { functionCall, translateCall } from './translate-call.ts';
import { translateSubLink } from './translate-lookup.ts';
import { translateOperator } from './translate-operator.ts';

/** Deepest nesting of expressions accepted; deeper text is rejected before it can exhaust the stack. */
const MAX_DEPTH = 200;

/** Called with a node and a reason to throw the error quoting that node (all of the text when undefined). */
export type Reject = (node: Node | undefined, reason: string) => never;

/** Builds the translation context for the protected table's row (or another scope) at a nesting depth. */
export function translationContext(
  reject: Reject,
  scope: Scope = { kind: 'row' },
  depth = 0,
): TranslateContext {
  const child = (): TranslateContext => translationContext(reject, scope, depth + 1);
  return {
    scope,
    reject,
    any: (node) => translate(node, child()),
    predicate: (node) => {
      const expr = translate(node, child());
      return isValueOnly(expr) ? reject(node, 'is a value, not a condition (true or false)') : expr;
    },
    value: (node) => {
      const expr = translate(node, child());
      return isConditionOnly(expr) ? reject(node, 'is a condition, where a value is expected') : expr;
    },
    within: (inner) => translationContext(reject, inner, depth),
  };

  function translate(node: Node | undefined, ctx: TranslateContext): RowExpr {
    if (depth > MAX_DEPTH) return reject(undefined, 'is nested too deeply');
    if (node === undefined) return reject(undefined, 'is incomplete');
    if ('A_Const' in node) return translateConstant(node, node.A_Const, ctx);
    if ('ColumnRef' in node) return columnRef(node, node.ColumnRef, ctx);
    if ('A_Expr' in node) return translateOperator(node, node.A_Expr, ctx);
    if ('BoolExpr' in node) return boolExpr(node.BoolExpr, ctx);
    if ('NullTest' in node) {
      const test = node.NullTest;
      return { kind: 'isNull', value: ctx.any(test.arg), negated: test.nulltesttype === 'IS_NOT_NULL' };
    }
    if ('TypeCast' in node) {
      const type = castTypeOf(node.TypeCast.typeName);
      if (type === undefined) {
        return reject(
          node,
          'casts to a type that is not allowed (allowed: text, varchar, integer, bigint, numeric, boolean, date, timestamp, without modifiers)',
        );
      }
      return { kind: 'cast', value: ctx.any(node.TypeCast.arg), type };
    }
    if ('FuncCall' in node) return translateCall(node, node.FuncCall, ctx);
    if ('CoalesceExpr' in node) return functionCall(node, 'coalesce', node.CoalesceExpr.args ?? [], ctx);
    if ('SubLink' in node) return translateSubLink(node, node.SubLink, false, ctx);
    if ('SQLValueFunction' in node) return reject(node, sqlValueFunctionReason(node.SQLValueFunction));
    return reject(node, unsupportedReason(node));
  }
}

function columnRef(node: Node, ref: ColumnRef, ctx: TranslateContext): RowExpr {
  const fields = ref.fields ?? [];
  if (fields.some((f) => 'A_Star' in f))
    return ctx.reject(node, 'selects every column (*), which is not allowed');
  const names = fields.map((f) => ('String' in f ? (f.String.sval ?? '') : ''));
  const [first, second] = names;
  if (ctx.scope.kind === 'row') {
    if (names.length === 1 && first !== undefined) return column(first);
    return ctx.reject(
      node,
      'is a qualified column name; name a column of the protected table alone (qualified names are only for lookup tables)',
    );
  }
  if (names.length === 1 && first !== undefined) return { kind: 'lookupColumn', name: first };
  if (
    names.length === 2 &&
    first !== undefined &&
    second !== undefined &&
    ctx.scope.qualifiers.includes(first)
  ) {
    return { kind: 'lookupColumn', name: second };
  }
  return ctx.reject(node, 'is not a column of the lookup table');
}

function boolExpr(expr: BoolExpr, ctx: TranslateContext): RowExpr {
  const args = expr.args ?? [];
  if (expr.boolop === 'AND_EXPR') return andRows(...args.map((a) => ctx.predicate(a)));
  if (expr.boolop === 'OR_EXPR') return orRows(...args.map((a) => ctx.predicate(a)));
  const [arg] = args;
  if (arg !== undefined && 'SubLink' in arg) return translateSubLink(arg, arg.SubLink, true, ctx);
  return notRow(ctx.predicate(arg));
}

function sqlValueFunctionReason(fn: SQLValueFunction): string {
  const userFunctions = ['SVFOP_CURRENT_USER', 'SVFOP_SESSION_USER', 'SVFOP_USER', 'SVFOP_CURRENT_ROLE'];
  return userFunctions.includes(fn.op ?? '')
    ? 'is not allowed; write @username for the user querying'
    : 'is a SQL value function, which is not allowed';
}

/** Reasons for node types that are valid SQL but outside the allowlist. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  ParamRef: 'is a parameter, which is not allowed',
  A_Indirection: 'uses a subscript or field selection, which is not allowed',
  CollateClause: 'uses COLLATE, which is not allowed',
  RowExpr: 'is a row constructor, which is not allowed',
  A_ArrayExpr: 'is an array, which is not allowed',
  CaseExpr: 'uses CASE, which is not allowed',
  MinMaxExpr: 'uses GREATEST or LEAST, which is not allowed',
  BooleanTest: 'uses IS TRUE, IS FALSE or IS UNKNOWN, which is not allowed; compare with = instead',
  GroupingFunc: 'uses GROUPING, which is not allowed',
};

function unsupportedReason(node: Node): string {
  const type = Object.keys(node)[0] ?? '';
  return Object.hasOwn(UNSUPPORTED, type) ? (UNSUPPORTED[type] as string) : 'is not allowed here';
}

/** True for expressions that can only be values (numbers, text, dates), never true or false. */
function isValueOnly(expr: RowExpr): boolean {
  switch (expr.kind) {
    case 'arith':
    case 'concat':
    case 'username':
      return true;
    case 'call':
      return expr.fn !== 'coalesce' && expr.fn !== 'nullif';
    case 'cast':
      return expr.type !== 'boolean';
    case 'literal':
      return typeof expr.value === 'string' || typeof expr.value === 'number';
    default:
      return false;
  }
}

/** True for expressions that can only be conditions (comparisons, tests, logic), never plain values. */
function isConditionOnly(expr: RowExpr): boolean {
  switch (expr.kind) {
    case 'compare':
    case 'inList':
    case 'isNull':
    case 'like':
    case 'and':
    case 'or':
    case 'not':
    case 'subject':
    case 'inSubjectValues':
    case 'inLookup':
    case 'sample':
    case 'timeWindow':
      return true;
    default:
      return false;
  }
}
