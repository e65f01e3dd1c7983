import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../../errors/index.ts';
import { escapeLike } from '../../people/like-pattern.ts';
import {
  type AttrPath,
  assertNever,
  type CompareOp,
  type FilterNode,
  type FilterValue,
  pathText,
} from './ast.ts';

/** A single-valued attribute stored in a column or computed by an expression. */
export interface SqlScalar {
  readonly kind: 'scalar';
  /** `id`: a numeric id compared as the string SCIM shows it. */
  readonly type: 'string' | 'boolean' | 'dateTime' | 'id';
  readonly caseExact: boolean;
  readonly expr: RawBuilder<unknown>;
}

/** A single-valued complex attribute (`name`, `meta`, an extension): only its sub-attributes compare. */
export interface SqlComplex {
  readonly kind: 'complex';
  sub(name: string): SqlScalar | undefined;
}

/**
 * A multi-valued attribute (`emails`, `members`): a comparison is true when some element matches,
 * written as EXISTS over the elements with the element's sub-attributes in scope.
 */
export interface SqlMulti {
  readonly kind: 'multi';
  sub(name: string): SqlScalar | undefined;
  exists(predicate: RawBuilder<unknown>): RawBuilder<unknown>;
}

/** What an attribute of a resource is in SQL. */
export type SqlAttribute = SqlScalar | SqlComplex | SqlMulti;

/** Resolves an attribute name (case-insensitively, with an optional schema URN) of a resource to SQL. */
export type FilterTarget = (uri: string | undefined, name: string) => SqlAttribute | undefined;

function invalid(detail: string): AppError {
  return new AppError('USER_FILTER_INVALID', `Invalid filter: ${detail}`);
}

const ORDER_SQL: Record<'gt' | 'ge' | 'lt' | 'le', string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

function likePattern(op: 'co' | 'sw' | 'ew', text: string): string {
  const escaped = escapeLike(text);
  return op === 'co' ? `%${escaped}%` : op === 'sw' ? `${escaped}%` : `%${escaped}`;
}

function compareString(s: SqlScalar, op: CompareOp, value: string): RawBuilder<unknown> {
  const left = s.caseExact ? s.expr : sql`lower(${s.expr})`;
  const right = s.caseExact ? value : value.toLowerCase();
  switch (op) {
    case 'eq':
      return sql`${left} = ${right}`;
    case 'ne':
      return sql`${left} IS DISTINCT FROM ${right}`;
    case 'co':
    case 'sw':
    case 'ew':
      return sql`${left} LIKE ${likePattern(op, right)} ESCAPE '\\'`;
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return sql`${left} ${sql.raw(ORDER_SQL[op])} ${right}`;
    default:
      return assertNever(op);
  }
}

function compareScalar(s: SqlScalar, attr: AttrPath, op: CompareOp, value: FilterValue): RawBuilder<unknown> {
  const name = pathText(attr);
  if (value === null) {
    if (op === 'eq') return sql`${s.expr} IS NULL`;
    if (op === 'ne') return sql`${s.expr} IS NOT NULL`;
    throw invalid(`"${op}" cannot compare ${name} with null.`);
  }
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(`${name} is a string; compare it with a "quoted" value.`);
      return compareString(s, op, value);
    case 'boolean': {
      const b = typeof value === 'string' ? value.toLowerCase() : value;
      if (b !== true && b !== false && b !== 'true' && b !== 'false') {
        throw invalid(`${name} is a boolean; compare it with true or false.`);
      }
      const flag = b === true || b === 'true';
      if (op === 'eq') return sql`${s.expr} = ${flag}`;
      if (op === 'ne') return sql`${s.expr} IS DISTINCT FROM ${flag}`;
      throw invalid(`${name} is a boolean; only eq, ne and pr apply.`);
    }
    case 'dateTime': {
      const time = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
      if (Number.isNaN(time.getTime()))
        throw invalid(`${name} is a date; compare it with an ISO 8601 "string".`);
      const left = sql`date_trunc('milliseconds', ${s.expr})`;
      if (op === 'eq') return sql`${left} = ${time}`;
      if (op === 'ne') return sql`${left} IS DISTINCT FROM ${time}`;
      if (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') {
        return sql`${left} ${sql.raw(ORDER_SQL[op])} ${time}`;
      }
      throw invalid(`${name} is a date; only eq, ne, gt, ge, lt, le and pr apply.`);
    }
    case 'id': {
      const text = String(value);
      if (op !== 'eq' && op !== 'ne') throw invalid(`${name} is an identifier; only eq, ne and pr apply.`);
      // Ids are integers: "abc" is no id, so eq matches nothing and ne everything.
      if (!/^\d{1,15}$/.test(text)) return sql.lit(op === 'ne');
      return op === 'eq' ? sql`${s.expr} = ${Number(text)}` : sql`${s.expr} <> ${Number(text)}`;
    }
    default:
      return assertNever(s.type);
  }
}

function present(s: SqlScalar): RawBuilder<unknown> {
  return s.type === 'string' ? sql`(${s.expr} IS NOT NULL AND ${s.expr} <> '')` : sql`${s.expr} IS NOT NULL`;
}

function unknownAttribute(attr: AttrPath): AppError {
  return invalid(`"${pathText(attr)}" is not an attribute Steward can filter on.`);
}

function elementTarget(multi: SqlMulti): FilterTarget {
  return (uri, name) => (uri === undefined ? multi.sub(name) : undefined);
}

/** A scalar for `attr` in `target`; for a multi-valued attribute, the sub-attribute (default `value`). */
function scalarOf(target: FilterTarget, attr: AttrPath): { scalar: SqlScalar; multi?: SqlMulti } {
  const resolved = target(attr.uri, attr.name);
  if (!resolved) throw unknownAttribute(attr);
  if (resolved.kind === 'scalar') {
    if (attr.sub !== undefined) throw unknownAttribute(attr);
    return { scalar: resolved };
  }
  if (resolved.kind === 'complex') {
    const scalar = attr.sub !== undefined ? resolved.sub(attr.sub) : undefined;
    if (!scalar) throw unknownAttribute(attr);
    return { scalar };
  }
  const scalar = resolved.sub(attr.sub ?? 'value');
  if (!scalar) throw unknownAttribute(attr);
  return { scalar, multi: resolved };
}

function compile(node: FilterNode, target: FilterTarget): RawBuilder<unknown> {
  switch (node.kind) {
    case 'compare':
    case 'present': {
      const { scalar, multi } = scalarOf(target, node.attr);
      const test =
        node.kind === 'present' ? present(scalar) : compareScalar(scalar, node.attr, node.op, node.value);
      const guarded = sql`COALESCE((${test}), false)`;
      if (!multi) {
        if (node.elementFilter) throw unknownAttribute(node.attr);
        return guarded;
      }
      const element = node.elementFilter ? compile(node.elementFilter, elementTarget(multi)) : undefined;
      return multi.exists(element ? sql`${guarded} AND ${element}` : guarded);
    }
    case 'valuePath': {
      const resolved = target(node.attr.uri, node.attr.name);
      if (resolved?.kind !== 'multi' || node.attr.sub !== undefined) {
        throw invalid(`"${pathText(node.attr)}" is not a multi-valued attribute; "[...]" does not apply.`);
      }
      return sql`COALESCE(${resolved.exists(compile(node.filter, elementTarget(resolved)))}, false)`;
    }
    case 'and':
      return sql`(${compile(node.left, target)} AND ${compile(node.right, target)})`;
    case 'or':
      return sql`(${compile(node.left, target)} OR ${compile(node.right, target)})`;
    case 'not':
      return sql`(NOT ${compile(node.operand, target)})`;
    default:
      return assertNever(node);
  }
}

/**
 * Compiles a parsed filter to a SQL predicate over one resource's columns. Values are bound as
 * parameters; columns come only from `target`. Every comparison is forced to true or false (never
 * NULL), so `not` means "does not match". An unknown attribute or an operator that does not apply to
 * an attribute's type is USER_FILTER_INVALID.
 */
export function filterToSql(node: FilterNode, target: FilterTarget): RawBuilder<boolean> {
  return compile(node, target) as RawBuilder<boolean>;
}
