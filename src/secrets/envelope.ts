import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors/index.ts';
import type { Keyring, MasterKey } from './keyring.ts';

const FORMAT = 'stw1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

/**
 * Encrypts a secret with envelope encryption: a fresh data key (AES-256-GCM) encrypts the value and the
 * keyring's primary key wraps the data key. `context` is bound as additional data, so a value copied to
 * another record does not decrypt there. Returns `stw1$<keyId>$<wrapped data key>$<ciphertext>`.
 */
export function encryptSecret(keyring: Keyring, plaintext: string, context: string): string {
  const dataKey = randomBytes(32);
  const wrapped = seal(keyring.primary.key, dataKey, `dek:${keyring.primary.id}`);
  const body = seal(dataKey, Buffer.from(plaintext, 'utf8'), context);
  return [FORMAT, keyring.primary.id, wrapped.toString('base64url'), body.toString('base64url')].join('$');
}

/** Returns the id of the key that protects an encrypted value. */
export function secretKeyId(value: string): string {
  const parts = value.split('$');
  if (parts.length !== 4 || parts[0] !== FORMAT || !parts[1]) {
    throw new AppError('SECRET_UNREADABLE', 'A stored secret is not in a format Steward knows.');
  }
  return parts[1];
}

/**
 * Decrypts a value made by `encryptSecret` for the same context. Fails loudly when the key is not in the
 * keyring or the value does not authenticate (wrong key, tampering or wrong context).
 */
export function decryptSecret(keyring: Keyring, value: string, context: string): string {
  const keyId = secretKeyId(value);
  const [, , wrapped, body] = value.split('$') as [string, string, string, string];
  const master: MasterKey | undefined = keyring.keys.get(keyId);
  if (!master) {
    throw new AppError(
      'SECRET_KEY_MISMATCH',
      `A stored secret is encrypted with key ${keyId}, which is not in the configured keyring.`,
    );
  }
  try {
    const dataKey = open(master.key, Buffer.from(wrapped, 'base64url'), `dek:${keyId}`);
    return open(dataKey, Buffer.from(body, 'base64url'), context).toString('utf8');
  } catch (cause) {
    throw new AppError(
      'SECRET_KEY_MISMATCH',
      `A stored secret did not decrypt with key ${keyId}: the key is wrong or the value was altered.`,
      { cause },
    );
  }
}

/** Returns true when a value should be re-encrypted because the primary key has changed. */
export function needsReencryption(keyring: Keyring, value: string): boolean {
  return secretKeyId(value) !== keyring.primary.id;
}
