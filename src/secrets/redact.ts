/** The placeholder shown wherever a secret would be. */
export const REDACTED = '[REDACTED]';

/** Property names that hold credentials anywhere in Steward's payloads. */
export const SECRET_FIELD =
  /^(password|passphrase|secret|clientSecret|token|accessToken|refreshToken|privateKey|privateKeyPassword|apiKey|key|authorization|credentials?)$/i;

/** Returns a deep copy of a JSON-like value with every secret-named property replaced by `[REDACTED]`. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELD.test(k) && v !== null && v !== undefined ? REDACTED : redactSecrets(v);
    }
    return out as T;
  }
  return value;
}
