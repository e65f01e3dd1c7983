import { AppError } from '../../errors/index.ts';

/**
 * Quotes a Databricks SQL identifier: always in backticks, embedded backticks doubled, so any name
 * (keywords, dots, spaces, Unicode) is read back exactly. Refuses empty names and NUL. The only way
 * Steward writes a name into Databricks SQL.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new AppError('REQUEST_INVALID', 'An identifier cannot be empty.');
  if (name.includes('\u0000'))
    throw new AppError('REQUEST_INVALID', 'An identifier cannot contain a NUL character.');
  return '`' + name.replaceAll('`', '``') + '`';
}

/** Quotes a dotted name part by part: `quoteQualified('main', 'sales')` → `` `main`.`sales` ``. */
export function quoteQualified(...parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}

/**
 * Quotes a Databricks SQL string literal: single quotes, with backslash and single quote escaped by a
 * backslash (Databricks reads `\<c>` escapes in ordinary literals, so a lone backslash would change the
 * value). Refuses NUL: it has no safe spelling, as `\0` followed by digits reads as an octal escape.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000'))
    throw new AppError('REQUEST_INVALID', 'A text value cannot contain a NUL character.');
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
