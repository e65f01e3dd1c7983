import type { Random } from './random.ts';

/** One day in milliseconds. */
export const DAY = 86_400_000;

/** The demo data's "now": every timestamp lies before it, so the data never depends on the clock. */
export const DEMO_NOW = Date.UTC(2026, 2, 31, 12, 0, 0);

/** Returns the UTC calendar date `YYYY-MM-DD` of an instant. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Returns an instant as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, UTC). */
export function isoTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Returns a whole-second instant in [from, to). */
export function instantBetween(rng: Random, from: number, to: number): number {
  return Math.floor((from + rng.next() * (to - from)) / 1000) * 1000;
}

/** Returns a birth date `YYYY-MM-DD` for someone `age` years old at instant `at`. */
export function birthDate(rng: Random, at: number, age: number): string {
  return isoDate(at - age * 365.25 * DAY - rng.int(1, 364) * DAY);
}
