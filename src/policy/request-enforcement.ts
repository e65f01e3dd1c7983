import { storeTimeIn } from '../entitlements/request-sync.ts';
import { enqueueOncePerConnection } from '../jobs/queue.ts';
import type { Db } from '../store/schema.ts';

/** The job type of policy enforcement. */
export const POLICY_ENFORCE_JOB_TYPE = 'policy.enforce';

/** How long a change waits before enforcement runs, so a burst of policy edits is applied once. */
export const ENFORCE_DEBOUNCE_MS = 200;

/** Attempts and time limit of one enforcement job. */
export const ENFORCE_LIMITS = { maxAttempts: 5, timeoutSeconds: 900 } as const;

/** What an enforcement job is asked to do: reconcile one connection. */
export interface EnforcePayload {
  readonly connectionKey: string;
}

/**
 * Makes sure policy enforcement of each connection (or of every connection, `'all'`) runs soon after
 * the change: at most one job per connection waits in the queue; a waiting one is kept, otherwise a
 * new one is created. Call it in the transaction of the change. Returns the keys given a new job.
 */
export async function requestEnforcement(
  db: Db,
  connectionKeys: readonly string[] | 'all',
  delayMs = ENFORCE_DEBOUNCE_MS,
): Promise<string[]> {
  const keys =
    connectionKeys === 'all'
      ? (await db.selectFrom('connections').select('connection_key').execute()).map((r) => r.connection_key)
      : [...new Set(connectionKeys)];
  if (keys.length === 0) return [];
  return enqueueOncePerConnection(db, {
    type: POLICY_ENFORCE_JOB_TYPE,
    connectionKeys: keys,
    payload: (connectionKey) => ({ connectionKey }) satisfies EnforcePayload,
    runAfter: await storeTimeIn(db, delayMs),
    ...ENFORCE_LIMITS,
  });
}
