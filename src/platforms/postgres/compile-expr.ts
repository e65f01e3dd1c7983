import { AppError } from '../../errors/index.ts';
import { assertNever, type Condition } from '../../policy/condition.ts';
import type { Mask, TypeFamily } from '../../policy/mask.ts';
import type {
  ArithOp,
  CastType,
  CompareOp,
  RowExpr,
  RowFunction,
  SubjectValues,
  TimeUnit,
} from '../../policy/row-expr.ts';
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.ts';

/**
 * What compiling an expression of one data source needs: where the helper functions live, the data
 * source id (subscriptions, salts), the protected table's name and the type family of its columns.
 */
export interface ExprContext {
  readonly stewardSchema: string;
  readonly dataSourceId: string;
  /** The protected table's own name: it qualifies its columns inside a lookup sub-select. */
  readonly table: string;
  readonly families: ReadonlyMap<string, TypeFamily>;
}

/** Inside an `inLookup` filter, the lookup table's alias; outside, undefined. */
type Scope = { readonly lookupAlias?: string };

const COMPARE_OPS: ReadonlySet<CompareOp> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ARITH_OPS: ReadonlySet<ArithOp> = new Set(['+', '-', '*', '/', '%']);

function invalid(detail: string): AppError {
  return new AppError('POLICY_INVALID', detail);
}

/** `(SELECT "steward"."fn"('a', 'b'))`: a helper called once per query, as an InitPlan. */
function helper(ctx: ExprContext, fn: string, ...args: readonly string[]): string {
  return `(SELECT ${helperCall(ctx, fn, ...args)})`;
}

function helperCall(ctx: ExprContext, fn: string, ...args: readonly string[]): string {
  return `${quoteQualified(ctx.stewardSchema, fn)}(${args.map(quoteLiteral).join(', ')})`;
}

/** `(SELECT "steward"."is_governed"())`: true when the querying role is a person Steward governs. */
export function isGovernedSql(ctx: Pick<ExprContext, 'stewardSchema'>): string {
  return `(SELECT ${quoteQualified(ctx.stewardSchema, 'is_governed')}())`;
}

/** Returns the SQL of a subject condition: TRUE, FALSE, or uncorrelated sub-SELECTs of the helpers. */
export function conditionSql(c: Condition, ctx: ExprContext): string {
  switch (c.kind) {
    case 'always':
      return 'TRUE';
    case 'never':
      return 'FALSE';
    case 'inGroup':
      return helper(ctx, 'in_group', c.group);
    case 'hasAttribute':
      return helper(ctx, 'has_attribute', c.key, c.value);
    case 'hasAttributeKey':
      return `(SELECT cardinality(${helperCall(ctx, 'attribute_values', c.key)}) > 0)`;
    case 'usingPurpose':
      return helper(ctx, 'using_purpose', c.purpose);
    case 'subscribed':
      return helper(ctx, 'is_subscribed', ctx.dataSourceId);
    case 'and':
      return c.items.length === 0 ? 'TRUE' : `(${c.items.map((i) => conditionSql(i, ctx)).join(' AND ')})`;
    case 'or':
      return c.items.length === 0 ? 'FALSE' : `(${c.items.map((i) => conditionSql(i, ctx)).join(' OR ')})`;
    case 'not':
      return `(NOT ${conditionSql(c.item, ctx)})`;
    default:
      return assertNever(c);
  }
}

/** Returns a finite number as a SQL numeric literal; negative numbers in parentheses. */
export function numberSql(value: number): string {
  if (!Number.isFinite(value)) throw invalid(`The number ${value} cannot be written as SQL.`);
  const text = String(value);
  return value < 0 ? `(${text})` : text;
}

function literalSql(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return numberSql(value);
  return quoteLiteral(value);
}

function subjectValuesSql(source: SubjectValues, ctx: ExprContext): string {
  switch (source.kind) {
    case 'attribute':
      return `(SELECT ${helperCall(ctx, 'attribute_values', source.key)})`;
    case 'groups':
      return `(SELECT ${helperCall(ctx, 'current_groups')})`;
    case 'purposes':
      return `(SELECT ${helperCall(ctx, 'current_purposes')})`;
    default:
      return assertNever(source);
  }
}

function functionName(fn: RowFunction): string {
  switch (fn) {
    case 'lower':
    case 'upper':
    case 'length':
    case 'coalesce':
    case 'left':
    case 'right':
    case 'substr':
    case 'trim':
    case 'abs':
    case 'nullif':
      return fn;
    default:
      return assertNever(fn);
  }
}

function castType(type: CastType): string {
  switch (type) {
    case 'text':
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'boolean':
    case 'date':
    case 'timestamp':
      return type;
    default:
      return assertNever(type);
  }
}

/** `amount * interval '1 unit'` (a quarter is three months). */
function intervalSql(amount: number, unit: TimeUnit): string {
  switch (unit) {
    case 'minute':
    case 'hour':
    case 'day':
    case 'month':
    case 'year':
      return `${numberSql(amount)} * interval ${quoteLiteral(`1 ${unit}`)}`;
    case 'quarter':
      return `${numberSql(amount)} * interval ${quoteLiteral('3 months')}`;
    default:
      return assertNever(unit);
  }
}

function isTextColumn(e: RowExpr, ctx: ExprContext, scope: Scope): boolean {
  return e.kind === 'column' && scope.lookupAlias === undefined && ctx.families.get(e.name) === 'text';
}

/** Returns the SQL of a row expression over the protected table's columns and the subject's facts. */
export function rowExprSql(e: RowExpr, ctx: ExprContext): string {
  return exprSql(e, ctx, {});
}

function exprSql(e: RowExpr, ctx: ExprContext, scope: Scope): string {
  const sub = (x: RowExpr) => exprSql(x, ctx, scope);
  switch (e.kind) {
    case 'column':
      // Inside a lookup sub-select an unqualified name would bind to the lookup table first.
      return scope.lookupAlias === undefined
        ? quoteIdent(e.name)
        : `${quoteIdent(ctx.table)}.${quoteIdent(e.name)}`;
    case 'lookupColumn':
      if (scope.lookupAlias === undefined)
        throw invalid(`The lookup column ${e.name} is used outside a lookup filter.`);
      return `${quoteIdent(scope.lookupAlias)}.${quoteIdent(e.name)}`;
    case 'columnTagged':
    case 'columnReference':
      throw invalid('A column reference was not resolved against the data source before compiling.');
    case 'literal':
      return literalSql(e.value);
    case 'username':
      return '(SELECT current_user::text)';
    case 'subject':
      return conditionSql(e.condition, ctx);
    case 'inSubjectValues': {
      const value = isTextColumn(e.value, ctx, scope) ? sub(e.value) : `(${sub(e.value)})::text`;
      const values = subjectValuesSql(e.source, ctx);
      // `ANY ((SELECT ...))` would parse as ANY over a sub-select's rows: the cast makes it one array,
      // computed once per query (an InitPlan).
      const list =
        e.placeholder === undefined
          ? `${values}::text[]`
          : `COALESCE(NULLIF(${values}, '{}'::text[]), ARRAY[${quoteLiteral(e.placeholder)}])`;
      return `(${value} = ANY (${list}))`;
    }
    case 'compare':
      if (!COMPARE_OPS.has(e.op)) throw invalid(`The comparison ${String(e.op)} is not allowed.`);
      return `(${sub(e.left)} ${e.op} ${sub(e.right)})`;
    case 'inList':
      if (e.items.length === 0) return e.negated ? 'TRUE' : 'FALSE';
      return `(${sub(e.value)} ${e.negated ? 'NOT IN' : 'IN'} (${e.items.map(sub).join(', ')}))`;
    case 'isNull':
      return `(${sub(e.value)} IS ${e.negated ? 'NOT NULL' : 'NULL'})`;
    case 'like': {
      const op = `${e.negated ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'}`;
      return `(${sub(e.value)} ${op} ${sub(e.pattern)})`;
    }
    case 'and':
      return e.items.length === 0 ? 'TRUE' : `(${e.items.map(sub).join(' AND ')})`;
    case 'or':
      return e.items.length === 0 ? 'FALSE' : `(${e.items.map(sub).join(' OR ')})`;
    case 'not':
      return `(NOT ${sub(e.item)})`;
    case 'arith':
      if (!ARITH_OPS.has(e.op)) throw invalid(`The operator ${String(e.op)} is not allowed.`);
      return `(${sub(e.left)} ${e.op} ${sub(e.right)})`;
    case 'concat':
      return e.items.length === 0 ? quoteLiteral('') : `(${e.items.map(sub).join(' || ')})`;
    case 'call':
      return `${functionName(e.fn)}(${e.args.map(sub).join(', ')})`;
    case 'cast':
      return `CAST(${sub(e.value)} AS ${castType(e.type)})`;
    case 'inLookup': {
      // An alias that cannot be the protected table's own name, which qualifies its columns inside.
      const alias = ctx.table === 'steward_lookup' ? 'steward_lookup_' : 'steward_lookup';
      const inner: Scope = { lookupAlias: alias };
      const where = e.filter === undefined ? '' : ` WHERE ${exprSql(e.filter, ctx, inner)}`;
      const select = `SELECT ${quoteIdent(alias)}.${quoteIdent(e.column)} FROM ${quoteQualified(e.schema, e.table)} AS ${quoteIdent(alias)}${where}`;
      return `(${sub(e.value)} ${e.negated ? 'NOT IN' : 'IN'} (${select}))`;
    }
    case 'sample': {
      if (!Number.isFinite(e.percent) || e.percent < 0 || e.percent > 100)
        throw invalid(`A sample of ${e.percent} percent is not allowed.`);
      const bucket = `((('x' || substr(md5(COALESCE((${sub(e.key)})::text, '')), 1, 8))::bit(32)::int & 2147483647) % 10000)`;
      return `(${bucket} < ${Math.round(e.percent * 100)})`;
    }
    case 'timeWindow': {
      const op = e.direction === 'newer' ? '>=' : '<';
      return `(${sub(e.column)} ${op} now() - ${intervalSql(e.amount, e.unit)})`;
    }
    default:
      return assertNever(e);
  }
}

/** Returns the hash salt of the data source, read once per query from the table only Steward reads. */
function saltSql(ctx: ExprContext): string {
  const salts = quoteQualified(ctx.stewardSchema, 'mask_salts');
  return `(SELECT ${quoteIdent('salt')} FROM ${salts} WHERE ${quoteIdent('data_source_id')} = ${quoteLiteral(ctx.dataSourceId)})`;
}

/**
 * Returns the SQL of a mask applied to `value` (the column's SQL), a column of type family `family`.
 * The result is meant for a CASE that also yields the column, so it keeps the column's type.
 */
export function maskSql(mask: Mask, value: string, family: TypeFamily, ctx: ExprContext): string {
  switch (mask.kind) {
    case 'hash':
      if (family !== 'text') throw invalid(`A hash mask applies to text columns only, not ${family}.`);
      return `encode(sha256(convert_to(${saltSql(ctx)} || (${value})::text, 'UTF8')), 'hex')`;
    case 'null':
      return 'NULL';
    case 'constant':
      return quoteLiteral(mask.value);
    case 'regex':
      return `regexp_replace(${value}, ${quoteLiteral(mask.pattern)}, ${quoteLiteral(mask.replacement)}, ${quoteLiteral(mask.caseInsensitive ? 'gi' : 'g')})`;
    case 'roundNumber': {
      if (!Number.isFinite(mask.bucket) || mask.bucket <= 0)
        throw invalid(`A rounding bucket of ${mask.bucket} is not allowed.`);
      const b = numberSql(mask.bucket);
      // Integer arithmetic keeps the column's type; the double modulo floors negative values too.
      return family === 'integer' && Number.isInteger(mask.bucket)
        ? `(${value} - (((${value} % ${b}) + ${b}) % ${b}))`
        : `(floor(${value} / ${b}) * ${b})`;
    }
    case 'truncateTime': {
      const truncated = `date_trunc(${quoteLiteral(mask.unit)}, ${value})`;
      return family === 'date' ? `CAST(${truncated} AS date)` : truncated;
    }
    case 'custom':
      return rowExprSql(mask.expression, ctx);
    default:
      return assertNever(mask);
  }
}
