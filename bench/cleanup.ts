import { note } from './report.ts';

type Cleanup = () => Promise<void> | void;

const pending: Cleanup[] = [];

async function runQuietly(cleanup: Cleanup): Promise<void> {
  try {
    await cleanup();
  } catch (error) {
    note(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Runs `fn`, then `cleanup` whether `fn` succeeded or threw; while `fn` runs, an interrupt handled by
 * `cleanUpOnInterrupt` runs the cleanup too. A failing cleanup is reported and does not hide `fn`'s outcome.
 */
export async function guarded<T>(cleanup: Cleanup, fn: () => Promise<T>): Promise<T> {
  pending.push(cleanup);
  try {
    return await fn();
  } finally {
    const index = pending.lastIndexOf(cleanup);
    if (index >= 0) pending.splice(index, 1);
    await runQuietly(cleanup);
  }
}

/** On SIGINT or SIGTERM, runs the pending cleanups (innermost first) and exits with status 130. */
export function cleanUpOnInterrupt(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    note(`${signal}: cleaning up`);
    void (async () => {
      for (const cleanup of pending.splice(0).reverse()) await runQuietly(cleanup);
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
