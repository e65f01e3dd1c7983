import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One key-encryption key: 32 bytes and the id stored beside every value it protects. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The keys Steward can decrypt with; the primary one encrypts every new value. */
export interface Keyring {
  readonly primary: MasterKey;
  readonly keys: ReadonlyMap<string, MasterKey>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function decodeKey(text: string, origin: string): Buffer {
  const key = Buffer.from(text.trim(), /^[0-9a-fA-F]{64}$/.test(text.trim()) ? 'hex' : 'base64');
  if (key.length !== 32) {
    throw new Error(`${origin}: a secret key must be 32 bytes, given as 64 hex digits or base64.`);
  }
  return key;
}

/** Returns the default id of a key: a short fingerprint that reveals nothing usable. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('steward-key-id').update(key).digest('hex').slice(0, 12);
}

function ring(keys: MasterKey[]): Keyring {
  const primary = keys[0];
  if (!primary) throw new Error('A keyring needs at least one key.');
  const map = new Map<string, MasterKey>();
  for (const k of keys) {
    if (map.has(k.id)) throw new Error(`The key id ${k.id} appears twice in the keyring.`);
    map.set(k.id, k);
  }
  return { primary, keys: map };
}

/**
 * Parses `STEWARD_SECRET_KEY`: one key, or a comma-separated list whose first entry is the primary
 * and whose others still decrypt older values. Each entry is `key` or `id:key` (hex or base64).
 */
export function parseKeyringSpec(spec: string): Keyring {
  const keys = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): MasterKey => {
      const colon = entry.indexOf(':');
      if (colon > 0 && KEY_ID.test(entry.slice(0, colon))) {
        return { id: entry.slice(0, colon), key: decodeKey(entry.slice(colon + 1), 'STEWARD_SECRET_KEY') };
      }
      const key = decodeKey(entry, 'STEWARD_SECRET_KEY');
      return { id: keyFingerprint(key), key };
    });
  return ring(keys);
}

interface KeyFile {
  version: 1;
  keys: Array<{ id: string; key: string; createdAt: string }>;
}

/**
 * Loads the keyring from a key file readable only by its owner, generating the file with one fresh key
 * when it does not exist. Refuses a file that others can read.
 */
export function loadOrCreateKeyFile(path: string): Keyring {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    const file: KeyFile = {
      version: 1,
      keys: [{ id: keyFingerprint(key), key: key.toString('base64'), createdAt: new Date().toISOString() }],
    };
    writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `The secret key file ${path} can be read by other users (mode ${mode.toString(8)}); run chmod 600 on it.`,
    );
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  if (file.version !== 1 || !Array.isArray(file.keys)) {
    throw new Error(`The secret key file ${path} is not a Steward key file.`);
  }
  return ring(file.keys.map((k) => ({ id: k.id, key: decodeKey(k.key, path) })));
}
