import type { Node, RangeVar, SelectStmt, SubLink } from 'libpg-query';
import type { RowExpr } from '../row-expr.ts';
import type { TranslateContext } from './context.ts';

/** Clauses a lookup subquery may have besides its defaults. */
const LOOKUP_CLAUSES = new Set(['targetList', 'fromClause', 'whereClause', 'limitOption', 'op']);

/**
 * Translates a subquery: only `value [NOT] IN (SELECT column FROM schema.table [WHERE filter])` (or
 * `= ANY (...)`) is allowed, over one fully qualified table with no joins, grouping or limits. Inside the
 * filter, columns are the lookup table's and Steward functions about the subject stay available.
 */
export function translateSubLink(
  node: Node,
  link: SubLink,
  negated: boolean,
  ctx: TranslateContext,
): RowExpr {
  if (link.subLinkType === 'EXISTS_SUBLINK')
    return ctx.reject(node, 'is an EXISTS subquery, which is not allowed');
  const operator = link.operName ?? [];
  const only = operator.length === 1 ? operator[0] : undefined;
  const isIn =
    link.subLinkType === 'ANY_SUBLINK' &&
    (operator.length === 0 || (only !== undefined && 'String' in only && only.String.sval === '='));
  if (!isIn)
    return ctx.reject(
      node,
      'is a subquery; only "value IN (SELECT column FROM schema.table ...)" is allowed',
    );
  if (ctx.scope.kind === 'lookup')
    return ctx.reject(node, 'nests a lookup inside a lookup, which is not allowed');
  const select =
    link.subselect !== undefined && 'SelectStmt' in link.subselect ? link.subselect.SelectStmt : undefined;
  if (select === undefined) return ctx.reject(node, 'is not a SELECT subquery');
  const value = ctx.value(link.testexpr);
  const table = lookupTable(node, select, ctx);
  const inner = ctx.within({ kind: 'lookup', qualifiers: [table.alias?.aliasname ?? table.relname ?? ''] });
  const column = selectedColumn(node, select, inner);
  const filter = select.whereClause === undefined ? undefined : inner.predicate(select.whereClause);
  return {
    kind: 'inLookup',
    value,
    schema: table.schemaname ?? '',
    table: table.relname ?? '',
    column,
    ...(filter === undefined ? {} : { filter }),
    negated,
  };
}

function lookupTable(node: Node, select: SelectStmt, ctx: TranslateContext): RangeVar {
  for (const clause of Object.keys(select)) {
    if (LOOKUP_CLAUSES.has(clause)) continue;
    if (clause === 'distinctClause' || clause === 'groupClause' || clause === 'havingClause') {
      return ctx.reject(node, 'uses DISTINCT, GROUP BY or HAVING in a lookup subquery, which is not allowed');
    }
    return ctx.reject(node, `uses a clause a lookup subquery cannot have (${clauseLabel(clause)})`);
  }
  if (select.op !== 'SETOP_NONE' || select.limitOption !== 'LIMIT_OPTION_DEFAULT') {
    return ctx.reject(node, 'is not a plain lookup subquery');
  }
  const from = select.fromClause ?? [];
  const first = from[0];
  if (from.length !== 1 || first === undefined) {
    return ctx.reject(node, 'must read exactly one table (FROM schema.table), with no joins');
  }
  if (!('RangeVar' in first)) {
    return ctx.reject(first, 'is not a table; a lookup reads one table (FROM schema.table), with no joins');
  }
  const table = first.RangeVar;
  if (table.catalogname !== undefined) {
    return ctx.reject(first, 'has three parts; name the lookup table as schema.table in the same database');
  }
  if (table.schemaname === undefined) {
    return ctx.reject(first, 'must be fully qualified as schema.table');
  }
  if (table.inh === false) return ctx.reject(first, 'uses ONLY, which is not allowed');
  if ((table.alias?.colnames?.length ?? 0) > 0)
    return ctx.reject(first, 'renames columns, which is not allowed');
  return table;
}

function selectedColumn(node: Node, select: SelectStmt, inner: TranslateContext): string {
  const targets = select.targetList ?? [];
  const target = targets.length === 1 ? targets[0] : undefined;
  if (target === undefined || !('ResTarget' in target) || target.ResTarget.name !== undefined) {
    return inner.reject(node, 'must select exactly one plain column of the lookup table');
  }
  const selected = target.ResTarget.val;
  if (selected === undefined || !('ColumnRef' in selected)) {
    return inner.reject(selected ?? node, 'must be one plain column of the lookup table');
  }
  const column = inner.value(selected);
  return column.kind === 'lookupColumn'
    ? column.name
    : inner.reject(selected, 'must be a column of the lookup table');
}

function clauseLabel(clause: string): string {
  const labels: Record<string, string> = {
    intoClause: 'INTO',
    windowClause: 'WINDOW',
    valuesLists: 'VALUES',
    sortClause: 'ORDER BY',
    limitOffset: 'OFFSET',
    limitCount: 'LIMIT',
    lockingClause: 'FOR UPDATE/SHARE',
    withClause: 'WITH',
    groupDistinct: 'GROUP BY DISTINCT',
    all: 'ALL',
    larg: 'UNION, INTERSECT or EXCEPT',
    rarg: 'UNION, INTERSECT or EXCEPT',
  };
  return labels[clause] ?? clause;
}
