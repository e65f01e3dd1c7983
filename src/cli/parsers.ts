import { InvalidArgumentError } from 'commander';
import { normalizeServerUrl } from './server-url.ts';

/** Returns a commander parser of integers from `min` to `max`; anything else is a usage error. */
export function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    }
    return value;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a UUID (job and bulk ids); anything else is a usage error. */
export function uuid(text: string): string {
  if (!UUID.test(text)) throw new InvalidArgumentError('expected a UUID.');
  return text.toLowerCase();
}

/** Parses an ISO 8601 date or timestamp to its canonical ISO form; anything else is a usage error. */
export function isoTime(text: string): string {
  const time = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError('expected an ISO 8601 time such as 2024-05-01 or 2024-05-01T12:00:00Z.');
  }
  return time.toISOString();
}

/** Parses a server URL; anything but an http(s) URL is a usage error. */
export function serverUrl(text: string): string {
  try {
    return normalizeServerUrl(text);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

/** Returns a parser for a repeatable option of values from `allowed` (comma-separated lists accepted). */
export function repeatableOf<T extends string>(
  allowed: readonly T[],
): (text: string, previous: readonly T[] | undefined) => T[] {
  return (text, previous) => {
    const values = text.split(',').filter((v) => v !== '');
    for (const value of values) {
      if (!allowed.includes(value as T)) {
        throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}.`);
      }
    }
    return [...(previous ?? []), ...(values as T[])];
  };
}

/** Parser for a repeatable option of free text (comma-separated lists accepted). */
export function repeatable(text: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), ...text.split(',').filter((v) => v !== '')];
}

/** Parses one value from `allowed`; anything else is a usage error. */
export function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text) => {
    if (!allowed.includes(text as T))
      throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}.`);
    return text as T;
  };
}
