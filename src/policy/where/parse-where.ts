import type { Node, ParseResult, ScanToken, SelectStmt } from 'libpg-query';
import type { RowExpr } from '../row-expr.ts';
import { loadParser, type PgParser } from './load-parser.ts';
import { quote, sourceText } from './source-text.ts';
import { type Reject, translationContext } from './translate-expr.ts';
import { type WhereTextKind, whereInvalid } from './where-error.ts';

/** Longest policy text accepted, in characters. */
export const MAX_WHERE_LENGTH = 20_000;

/** Statement text put before the user's text, so PostgreSQL parses it in the position it has in policies. */
const PREFIX: Record<WhereTextKind, string> = { clause: 'SELECT 1 WHERE ', expression: 'SELECT ' };

/** Top-level words that start a clause other than the user's condition or expression. */
const CLAUSE_WORDS = new Set([
  ',',
  'AS',
  'DISTINCT',
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'WINDOW',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'FOR',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'INTO',
]);

/**
 * Parses a custom WHERE clause with PostgreSQL's parser into a row expression that is a condition.
 * Throws a 400 `POLICY_WHERE_INVALID` AppError, with a field error on `field` quoting the offending
 * text, for anything outside the allowlist, more than one expression, comments or trailing clauses.
 */
export async function parseWhereClause(text: string, field: string): Promise<RowExpr> {
  return parseWith(await loadParser(), text, field, 'clause');
}

/**
 * Parses a scalar expression (a custom masking function's body) with PostgreSQL's parser into a row
 * expression. Rejects what `parseWhereClause` rejects, and anything but exactly one expression.
 */
export async function parseValueExpression(text: string, field: string): Promise<RowExpr> {
  return parseWith(await loadParser(), text, field, 'expression');
}

function parseWith(parser: PgParser, text: string, field: string, kind: WhereTextKind): RowExpr {
  const invalid = (problem: string, cause?: unknown) => whereInvalid(field, kind, problem, cause);
  if (text.trim() === '') throw invalid('is empty');
  if (text.length > MAX_WHERE_LENGTH) throw invalid(`is longer than ${MAX_WHERE_LENGTH} characters`);
  if (text.includes('\0')) throw invalid('contains a NUL character');

  const prefix = PREFIX[kind];
  const sql = prefix + text;
  let result: ParseResult;
  let tokens: readonly ScanToken[];
  try {
    result = parser.parse(sql);
    tokens = parser.scan(sql);
  } catch (error) {
    throw invalid(parseFailure(error), error);
  }

  const source = sourceText(sql, prefix.length, tokens);
  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') {
      throw invalid(`${quote(token.text)} is a comment; comments are not allowed`);
    }
    if (token.text === ';') {
      throw invalid(`${quote(source.from(token.start))} starts with a semicolon; write a single expression`);
    }
  }

  const statements = result.stmts ?? [];
  const statement = statements.length === 1 ? statements[0]?.stmt : undefined;
  const select = statement !== undefined && 'SelectStmt' in statement ? statement.SelectStmt : undefined;
  const content = select === undefined ? undefined : userContent(select, kind);
  if (content === undefined) {
    const what = kind === 'clause' ? 'the condition' : 'one expression';
    throw invalid(`${quote(source.tailFrom(CLAUSE_WORDS))} is more than ${what}; write only ${what}`);
  }

  const reject: Reject = (node, reason) => {
    throw invalid(`${quote(node === undefined ? text : source.fragmentOf(node))} ${reason}`);
  };
  const ctx = translationContext(reject);
  return kind === 'clause' ? ctx.predicate(content) : ctx.any(content);
}

/**
 * Returns the user's condition (WHERE) or expression (the one select target) when the statement holds
 * nothing else: no FROM, GROUP BY, ORDER BY, LIMIT, set operation, alias or second target.
 */
function userContent(select: SelectStmt, kind: WhereTextKind): Node | undefined {
  const allowed =
    kind === 'clause'
      ? ['targetList', 'whereClause', 'limitOption', 'op']
      : ['targetList', 'limitOption', 'op'];
  if (Object.keys(select).some((key) => !allowed.includes(key))) return undefined;
  if (select.op !== 'SETOP_NONE' || select.limitOption !== 'LIMIT_OPTION_DEFAULT') return undefined;
  if (kind === 'clause') return select.whereClause;
  const targets = select.targetList ?? [];
  const target = targets.length === 1 ? targets[0] : undefined;
  if (target === undefined || !('ResTarget' in target)) return undefined;
  const { name, indirection, val } = target.ResTarget;
  return name === undefined && (indirection?.length ?? 0) === 0 ? val : undefined;
}

function parseFailure(error: unknown): string {
  if (error instanceof RangeError) return 'is nested too deeply';
  if (error instanceof Error && 'sqlDetails' in error) return `is not valid SQL: ${error.message}`;
  throw error;
}
