import { createHash, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX = 'stw_';
const BODY_LENGTH = 40;
const CHECK_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${PREFIX}[0-9A-Za-z]{${BODY_LENGTH}}[0-9A-Za-z]{${CHECK_LENGTH}}$`);

function base62(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body), CHECK_LENGTH);
}

/**
 * Returns a new API key: `stw_`, 40 random base62 characters (238 bits) and a 6-character CRC32
 * checksum, so secret scanners can recognise a Steward key offline and typos fail before any lookup.
 */
export function generateApiKey(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(62)];
  return PREFIX + body + checksum(PREFIX + body);
}

/** Returns true when the string has the shape and checksum of a Steward API key. */
export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_PATTERN.test(key)) return false;
  const head = key.slice(0, key.length - CHECK_LENGTH);
  return checksum(head) === key.slice(key.length - CHECK_LENGTH);
}

/** Returns the stored form of a key: its SHA-256 digest (the key has enough entropy for a fast hash). */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Returns the short, non-secret prefix shown in key listings. */
export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, PREFIX.length + 6);
}

/**
 * Extracts the key from an Authorization header, accepting `Bearer <key>` and the bare key (as the
 * reference's examples send it). Returns undefined when there is no credential.
 */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  const match = /^bearer\s+(.+)$/i.exec(value);
  return (match?.[1] ?? value).trim();
}
