import type { A_Expr, FuncCall, Node } from 'libpg-query';
import { and, hasAttribute, inGroup, usingPurpose } from '../condition.ts';
import { inSubjectValues, type RowExpr, subjectFact } from '../row-expr.ts';
import type { TranslateContext } from './context.ts';
import { callSyntaxProblem } from './translate-call.ts';

/** One Steward function: its arity and how its (already checked) arguments become a row expression. */
interface StewardFunction {
  readonly min: number;
  readonly max: number;
  /** Only about the protected table's own columns, so not allowed inside a lookup subquery. */
  readonly rowOnly?: true;
  readonly build: (args: readonly Node[], ctx: TranslateContext) => RowExpr;
}

/** The Steward functions written `@name(args)`, by lower-case name. */
const FUNCTIONS: Readonly<Record<string, StewardFunction>> = {
  attributevaluescontains: {
    min: 2,
    max: 3,
    build: (args, ctx) =>
      inSubjectValues(
        ctx.value(args[1]),
        { kind: 'attribute', key: name(args[0], 'an attribute name', ctx) },
        placeholder(args[2], ctx),
      ),
  },
  groupscontains: {
    min: 1,
    max: 2,
    build: (args, ctx) => inSubjectValues(ctx.value(args[0]), { kind: 'groups' }, placeholder(args[1], ctx)),
  },
  purposescontains: {
    min: 1,
    max: 1,
    build: (args, ctx) => inSubjectValues(ctx.value(args[0]), { kind: 'purposes' }),
  },
  hasattribute: {
    min: 2,
    max: 2,
    build: (args, ctx) =>
      subjectFact(hasAttribute(name(args[0], 'an attribute name', ctx), stringConstant(args[1], ctx))),
  },
  isingroups: {
    min: 1,
    max: Number.POSITIVE_INFINITY,
    build: (args, ctx) => subjectFact(and(...args.map((a) => inGroup(name(a, 'a group name', ctx))))),
  },
  isusingpurpose: {
    min: 1,
    max: 1,
    build: (args, ctx) => subjectFact(usingPurpose(name(args[0], 'a purpose name', ctx))),
  },
  columntagged: {
    min: 1,
    max: 1,
    rowOnly: true,
    build: (args, ctx) => ({ kind: 'columnTagged', tag: name(args[0], 'a tag name', ctx) }),
  },
  columnreference: {
    min: 1,
    max: 1,
    rowOnly: true,
    build: (args, ctx) => ({ kind: 'columnReference', name: name(args[0], 'a column name', ctx) }),
  },
};

/**
 * Translates prefix `@` applied to `operand`: `@name(args)` is a Steward function and `@username` the
 * subject's user name. PostgreSQL gives prefix operators a low precedence, so `@f(x) + 1` arrives as
 * `@(f(x) + 1)`; the `@` is moved down the operand's left edge to the call it belongs to.
 */
export function translateAt(node: Node, at: A_Expr, ctx: TranslateContext): RowExpr {
  const operand = at.rexpr;
  if (
    operand !== undefined &&
    'A_Expr' in operand &&
    operand.A_Expr.kind === 'AEXPR_OP' &&
    operand.A_Expr.lexpr
  ) {
    const inner = operand.A_Expr;
    return ctx.any({ A_Expr: { ...inner, lexpr: { A_Expr: { ...at, rexpr: inner.lexpr } } } });
  }
  if (operand !== undefined && 'TypeCast' in operand) {
    const cast = operand.TypeCast;
    return ctx.any({ TypeCast: { ...cast, arg: { A_Expr: { ...at, rexpr: cast.arg } } } });
  }
  if (operand !== undefined && 'ColumnRef' in operand) {
    const fields = operand.ColumnRef.fields ?? [];
    const only = fields.length === 1 ? fields[0] : undefined;
    if (only !== undefined && 'String' in only && only.String.sval?.toLowerCase() === 'username') {
      return { kind: 'username' };
    }
  }
  if (operand !== undefined && 'FuncCall' in operand) {
    if (isUsernameCall(operand.FuncCall)) return { kind: 'username' };
    return stewardCall(node, operand.FuncCall, ctx);
  }
  return ctx.reject(node, `is not a Steward function (known: ${KNOWN})`);
}

const KNOWN =
  '@attributeValuesContains, @groupsContains, @purposesContains, @hasAttribute, @isInGroups, ' +
  '@isUsingPurpose, @columnTagged, @columnReference, @username';

/** `@username()` is read as `@username`. */
function isUsernameCall(call: FuncCall): boolean {
  const names = call.funcname ?? [];
  const only = names.length === 1 ? names[0] : undefined;
  return (
    only !== undefined &&
    'String' in only &&
    only.String.sval?.toLowerCase() === 'username' &&
    (call.args?.length ?? 0) === 0 &&
    callSyntaxProblem(call) === undefined
  );
}

function stewardCall(node: Node, call: FuncCall, ctx: TranslateContext): RowExpr {
  const names = call.funcname ?? [];
  const only = names.length === 1 ? names[0] : undefined;
  const fnName = only !== undefined && 'String' in only ? (only.String.sval ?? '').toLowerCase() : undefined;
  const fn = fnName !== undefined && Object.hasOwn(FUNCTIONS, fnName) ? FUNCTIONS[fnName] : undefined;
  if (fn === undefined) return ctx.reject(node, `is not a Steward function (known: ${KNOWN})`);
  const syntax = callSyntaxProblem(call);
  if (syntax !== undefined) return ctx.reject(node, syntax);
  const args = call.args ?? [];
  if (args.length < fn.min || args.length > fn.max) {
    const expected =
      fn.min === fn.max
        ? `${fn.min}`
        : fn.max === Number.POSITIVE_INFINITY
          ? `at least ${fn.min}`
          : `${fn.min} or ${fn.max}`;
    return ctx.reject(node, `passes ${args.length} argument(s), but the function takes ${expected}`);
  }
  if (fn.rowOnly && ctx.scope.kind === 'lookup') {
    return ctx.reject(node, 'refers to the protected table, which a lookup subquery cannot do');
  }
  return fn.build(args, ctx);
}

function stringConstant(node: Node | undefined, ctx: TranslateContext): string {
  if (node !== undefined && 'A_Const' in node && node.A_Const.sval !== undefined)
    return node.A_Const.sval.sval ?? '';
  return ctx.reject(node, "must be a string constant in single quotes ('...')");
}

function name(node: Node | undefined, what: string, ctx: TranslateContext): string {
  const value = stringConstant(node, ctx);
  return value === '' ? ctx.reject(node, `must be ${what}, not empty`) : value;
}

function placeholder(node: Node | undefined, ctx: TranslateContext): string | undefined {
  return node === undefined ? undefined : stringConstant(node, ctx);
}
