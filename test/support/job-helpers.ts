import { setTimeout as sleep } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import { type Logger, pino } from 'pino';
import type { Db, JobsTable } from '../../src/store/schema.ts';

/** A logger that drops every line, for job runners whose logs a test does not read. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined, null or false,
 * and returns that; fails naming `what` after `timeoutMs`, so no wait in a test is unbounded.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(options.intervalMs ?? 20);
  }
}

/** A promise with its resolve function exposed, to hold a job handler until the test lets it go. */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

/** Creates a closed gate. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves when the signal aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Reads one job's stored row. */
export function jobRow(db: Db, id: string): Promise<Selectable<JobsTable>> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Awaits `promise`, failing naming `what` when it takes longer than `timeoutMs`. */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
