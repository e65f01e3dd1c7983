import { type Kysely, sql } from 'kysely';
import { enqueueJobs } from '../jobs/queue.ts';
import type { Database, Db } from '../store/schema.ts';

/** The job type of entitlement sync. */
export const ENTITLEMENT_SYNC_JOB_TYPE = 'entitlements.sync';

/** How long a change waits before it is pushed, so a burst of changes is pushed once. */
export const ENTITLEMENT_DEBOUNCE_MS = 200;

/** Attempts and time limit of one sync job. */
export const ENTITLEMENT_SYNC_LIMITS = { maxAttempts: 5, timeoutSeconds: 600 } as const;

/** What an entitlement sync job is asked to do: push the rows of one connection. */
export interface EntitlementSyncPayload {
  readonly connectionKey: string;
}

/**
 * Makes sure a sync of each connection runs no later than `runAfter`, a time on the store's clock
 * (see `storeTimeIn`). At most one sync per connection waits in the queue: a waiting one (`created`)
 * is moved earlier when needed, one waiting for a retry keeps its backoff, and only connections with
 * neither get a new job. Call it in the transaction of the change. Returns the keys given a new job.
 */
export async function requestEntitlementSync(
  db: Db,
  connectionKeys: readonly string[],
  runAfter: Date,
): Promise<string[]> {
  if (connectionKeys.length === 0) return [];
  const keys = [...new Set(connectionKeys)];
  const covered = await sql<{ key: string }>`
    WITH pulled AS (
      UPDATE jobs SET run_after = LEAST(run_after, ${runAfter})
       WHERE type = ${ENTITLEMENT_SYNC_JOB_TYPE} AND state = 'created'
         AND payload->>'connectionKey' = ANY(${keys}::text[])
   RETURNING payload->>'connectionKey' AS key)
    SELECT key FROM pulled
     UNION
    SELECT payload->>'connectionKey' FROM jobs
     WHERE type = ${ENTITLEMENT_SYNC_JOB_TYPE} AND state = 'retry'
       AND payload->>'connectionKey' = ANY(${keys}::text[])`.execute(db);
  const waiting = new Set(covered.rows.map((r) => r.key));
  const missing = keys.filter((k) => !waiting.has(k));
  await enqueueJobs(
    db,
    missing.map((connectionKey) => ({
      type: ENTITLEMENT_SYNC_JOB_TYPE,
      payload: { connectionKey } satisfies EntitlementSyncPayload,
      runAfter,
      ...ENTITLEMENT_SYNC_LIMITS,
    })),
  );
  return missing;
}

/** Returns the store's clock `ms` milliseconds from now (the store's clock, not this process's). */
export async function storeTimeIn(db: Db, ms: number): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    SELECT clock_timestamp() + make_interval(secs => ${ms / 1000}) AS at`.execute(db);
  return rows[0]!.at;
}

/**
 * Requests a sync of every connection whose entitlements were never pushed or changed since their
 * last push, with no sync waiting or running: new connections, and changes whose jobs ran out of
 * attempts. Rows are claimed with SKIP LOCKED, so servers sharing a store do not race. Returns the keys.
 */
export async function requestStaleEntitlementSyncs(db: Kysely<Database>): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const stale = await sql<{ key: string }>`
    SELECT c.connection_key AS key FROM connections c
      LEFT JOIN entitlement_sync s ON s.connection_key = c.connection_key
     WHERE (s.connection_key IS NULL OR s.pushed_at IS NULL OR s.changed_at > s.pushed_at)
       AND NOT EXISTS (SELECT 1 FROM jobs j
                        WHERE j.type = ${ENTITLEMENT_SYNC_JOB_TYPE} AND j.state IN ('created', 'active', 'retry')
                          AND j.payload->>'connectionKey' = c.connection_key)
     ORDER BY c.connection_key
       FOR UPDATE OF c SKIP LOCKED`.execute(trx);
    const keys = stale.rows.map((r) => r.key);
    if (keys.length === 0) return [];
    return requestEntitlementSync(trx, keys, await storeTimeIn(trx, 0));
  });
}
