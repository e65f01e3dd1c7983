import { note } from './report.ts';

type Cleanup = () => Promise<void> | void;

const pending: Cleanup[] = [];

/** Set once a signal started the cleanup, which then exits the process itself. */
let interrupted = false;

async function runQuietly(cleanup: Cleanup): Promise<void> {
  try {
    await cleanup();
  } catch (error) {
    note(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Runs `fn`, then `cleanup` whether `fn` succeeded or threw; should an interrupt handled by
 * `cleanUpOnInterrupt` come while `fn` runs, that handler runs the cleanup instead (once, not twice).
 * A failing cleanup is reported and does not hide `fn`'s outcome.
 */
export async function guarded<T>(cleanup: Cleanup, fn: () => Promise<T>): Promise<T> {
  pending.push(cleanup);
  try {
    return await fn();
  } finally {
    const index = pending.lastIndexOf(cleanup);
    if (index >= 0) {
      pending.splice(index, 1);
      await runQuietly(cleanup);
    }
  }
}

/**
 * On SIGINT or SIGTERM, runs the pending cleanups (innermost first) and exits with status 130. A second
 * signal while cleaning up (Ctrl-C reaches a child process, whose parent then also stops it) is ignored,
 * so it cannot cut the cleanup short.
 */
export function cleanUpOnInterrupt(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    note(`${signal}: cleaning up`);
    void (async () => {
      for (const cleanup of pending.splice(0).reverse()) await runQuietly(cleanup);
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Whether a signal has started the cleanup: work still running should stop rather than start more. */
export function isInterrupted(): boolean {
  return interrupted;
}

/**
 * Exits the process `ms` from now (after `before`), should open handles keep it alive; the timer does not
 * hold the process. Does nothing once an interrupt's cleanup has started, so it cannot cut that short.
 */
export function exitAfter(ms: number, before?: () => void): void {
  setTimeout(() => {
    if (interrupted) return;
    before?.();
    process.exit();
  }, ms).unref();
}
