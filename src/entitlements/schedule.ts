import { safeErrorMessage } from '../errors/index.ts';
import type { AppDeps } from '../server/deps.ts';
import { ENTITLEMENT_DEBOUNCE_MS, requestStaleEntitlementSyncs } from './request-sync.ts';

/** How often a server looks for connections whose entitlements are behind with no sync queued. */
export const STALE_CHECK_MS = 30_000;

/**
 * Returns a wake function that wakes the job runner now and once more when a debounced job comes due
 * (`ENTITLEMENT_DEBOUNCE_MS` later), so a change pushed by a sync job is not left to the next poll.
 * Wakes within one debounce share the second wake-up.
 */
export function withDebouncedWake(wake: () => void): () => void {
  let pending: NodeJS.Timeout | undefined;
  return () => {
    wake();
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      wake();
    }, ENTITLEMENT_DEBOUNCE_MS + 20);
    pending.unref();
  };
}

/**
 * Checks now and every `STALE_CHECK_MS` for connections whose entitlements were never pushed or are
 * behind their last change with no sync queued (a new connection, a sync out of attempts) and queues
 * one. Returns the timer, to clear at shutdown.
 */
export function startEntitlementCatchUp(deps: AppDeps, intervalMs = STALE_CHECK_MS): NodeJS.Timeout {
  const check = async () => {
    try {
      const keys = await requestStaleEntitlementSyncs(deps.store.db);
      if (keys.length > 0) {
        deps.logger.info({ connections: keys }, 'entitlement sync queued for connections behind');
        deps.jobs.wake();
      }
    } catch (error) {
      deps.logger.warn({ err: safeErrorMessage(error) }, 'entitlement catch-up check failed');
    }
  };
  void check();
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return timer;
}
