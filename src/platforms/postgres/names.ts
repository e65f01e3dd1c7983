import { createHash } from 'node:crypto';

/** The longest identifier PostgreSQL keeps, in bytes; longer names are silently truncated by it. */
export const MAX_NAME_BYTES = 63;
const SUFFIX_HEX = 8;

/**
 * Returns a name PostgreSQL keeps as given: the name itself when it fits in 63 bytes, otherwise its
 * longest UTF-8 prefix that leaves room for `_` and the first 8 hex digits of the SHA-256 of the whole
 * name, so two distinct long names sharing a prefix still get distinct identifiers.
 */
export function fitName(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) return name;
  const budget = MAX_NAME_BYTES - 1 - SUFFIX_HEX;
  let prefix = '';
  let bytes = 0;
  for (const char of name) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > budget) break;
    prefix += char;
    bytes += size;
  }
  const digest = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, SUFFIX_HEX);
  return `${prefix}_${digest}`;
}

/** Returns the Steward-managed schema holding the masking views of governed schema `schema`. */
export function mirrorSchemaName(stewardSchema: string, schema: string): string {
  return fitName(`${stewardSchema}_${schema}`);
}

/**
 * Returns the role that owns Steward's masking views for service role `username`: it has no login
 * and no BYPASSRLS, so row level security applies when its views read a governed table, through
 * the `steward_view` policy addressed to it.
 */
export function viewsRoleName(username: string): string {
  return fitName(`${username}_views`);
}
