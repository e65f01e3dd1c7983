import { decryptSecret, encryptSecret } from '../secrets/envelope.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { REDACTED, SECRET_FIELD } from '../secrets/redact.ts';

/** Secret values of a payload by JSON pointer (`/connection/password`). */
export type SecretMap = Record<string, string>;

function walk(
  value: unknown,
  pointer: string,
  secrets: SecretMap,
  replace: (pointer: string) => unknown,
): unknown {
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${pointer}/${i}`, secrets, replace));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (SECRET_FIELD.test(k) && typeof v === 'string') {
      secrets[p] = v;
      const r = replace(p);
      if (r !== undefined) out[k] = r;
    } else {
      out[k] = walk(v, p, secrets, replace);
    }
  }
  return out;
}

/**
 * Splits a payload into its public part and its secrets (every string under a credential-named field:
 * password, token, clientSecret, privateKey...). The public part keeps no trace of the values.
 */
export function splitSecrets<T extends Record<string, unknown>>(
  payload: T,
): { publicPart: T; secrets: SecretMap } {
  const secrets: SecretMap = {};
  const publicPart = walk(payload, '', secrets, () => undefined) as T;
  return { publicPart, secrets };
}

/** Returns the public part with `[REDACTED]` where each secret was, as responses show connections. */
export function redactedView<T extends Record<string, unknown>>(publicPart: T, secrets: SecretMap): T {
  return mergeSecrets(publicPart, Object.fromEntries(Object.keys(secrets).map((p) => [p, REDACTED])));
}

/** Puts secrets back into a public part, for the moment a platform needs them. */
export function mergeSecrets<T extends Record<string, unknown>>(publicPart: T, secrets: SecretMap): T {
  const copy = structuredClone(publicPart) as Record<string, unknown>;
  for (const [pointer, value] of Object.entries(secrets)) {
    const keys = pointer
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    let node: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = value;
  }
  return copy as T;
}

/** The encryption context of a connection's secrets, so they cannot be moved to another connection. */
export function secretsContext(connectionKey: string): string {
  return `connections:${connectionKey}:secrets`;
}

/** Encrypts a connection's secrets for storage. */
export function sealSecrets(keyring: Keyring, connectionKey: string, secrets: SecretMap): string {
  return encryptSecret(keyring, JSON.stringify(secrets), secretsContext(connectionKey));
}

/** Decrypts a connection's stored secrets. */
export function openSecrets(keyring: Keyring, connectionKey: string, sealed: string): SecretMap {
  return JSON.parse(decryptSecret(keyring, sealed, secretsContext(connectionKey))) as SecretMap;
}
