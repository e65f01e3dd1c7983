import { sql } from 'kysely';
import { ENTITLEMENT_DEBOUNCE_MS, requestEntitlementSync } from '../entitlements/request-sync.ts';
import type { Db } from '../store/schema.ts';

/**
 * Records that people's facts (groups, attributes, state, external user ids) changed, so that the
 * entitlement rows of every connection are pushed again. Call it in the transaction that makes the
 * change, as late as possible: it locks each connection's `entitlement_sync` row until commit.
 *
 * `changed_at` never moves backwards and is taken when the row lock is held (`clock_timestamp()`, not
 * the transaction's start time), so a transaction that began before a push but commits after it still
 * leaves a `changed_at` later than what that push saw.
 *
 * It also queues the push: an `entitlements.sync` job per connection, `ENTITLEMENT_DEBOUNCE_MS` from
 * now so a burst of changes is pushed once, deduplicated against a sync already waiting (the row
 * locks, taken in key order, make concurrent callers see each other's job). Wake the job runner after
 * commit (`deps.jobs.wake()`); its poll picks the job up otherwise.
 */
export async function markEntitlementsChanged(db: Db): Promise<void> {
  const { rows } = await sql<{ key: string; run_after: Date }>`
    INSERT INTO entitlement_sync (connection_key, changed_at)
    SELECT connection_key, clock_timestamp() FROM connections ORDER BY connection_key
    ON CONFLICT (connection_key)
    DO UPDATE SET changed_at = GREATEST(entitlement_sync.changed_at, clock_timestamp())
    RETURNING connection_key AS key,
              clock_timestamp() + make_interval(secs => ${ENTITLEMENT_DEBOUNCE_MS / 1000}) AS run_after`.execute(
    db,
  );
  if (rows.length === 0) return;
  await requestEntitlementSync(
    db,
    rows.map((r) => r.key),
    rows[0]!.run_after,
  );
}
