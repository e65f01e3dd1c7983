import { AppError } from '../../errors/index.ts';

const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes a PostgreSQL identifier: always double-quoted, embedded quotes doubled, so it is read back
 * exactly as given whatever its case or whether it is a keyword. Refuses NUL and names longer than
 * PostgreSQL keeps (63 bytes), which it would silently truncate. The only way Steward writes a name
 * into PostgreSQL SQL.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new AppError('REQUEST_INVALID', 'An identifier cannot be empty.');
  if (name.includes('\u0000'))
    throw new AppError('REQUEST_INVALID', 'An identifier cannot contain a NUL character.');
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new AppError('REQUEST_INVALID', `The identifier "${name.slice(0, 20)}…" is longer than 63 bytes.`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a dotted name part by part: `quoteQualified('sales', 'orders')` → `"sales"."orders"`. */
export function quoteQualified(...parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}

/**
 * Quotes a PostgreSQL string literal exactly as `format('%L')` does: quotes and backslashes doubled,
 * with the `E` prefix when a backslash is present, so it reads the same whatever
 * `standard_conforming_strings` is set to. Refuses NUL, which PostgreSQL text cannot hold.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000'))
    throw new AppError('REQUEST_INVALID', 'A text value cannot contain a NUL character.');
  const body = value.replaceAll("'", "''").replaceAll('\\', '\\\\');
  return value.includes('\\') ? ` E'${body}'` : `'${body}'`;
}

/**
 * Dollar-quotes a body (a function or DO block) with a tag that does not occur in it, so the body
 * cannot end the quoting early.
 */
export function dollarQuote(body: string): string {
  let tag = 'steward';
  for (let i = 0; body.includes(`$${tag}$`); i++) tag = `steward${i}`;
  return `$${tag}$${body}$${tag}$`;
}
