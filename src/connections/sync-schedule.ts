import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { enqueue } from '../jobs/enqueue.ts';
import type { JobRegistry } from '../jobs/job-kind.ts';
import type { Database, Db } from '../store/schema.ts';
import { SYNC_JOB_TYPE } from './sync-job.ts';

/**
 * Enqueues an object sync for every connection not synced within `intervalSeconds` that has no sync
 * waiting or running. Rows are claimed with SKIP LOCKED, so several servers sharing a store enqueue
 * each sync once. Returns the connection keys enqueued.
 */
export async function enqueueDueSyncs<D>(
  db: Kysely<Database>,
  registry: JobRegistry<D>,
  intervalSeconds: number,
): Promise<string[]> {
  return db.transaction().execute(async (trx: Db) => {
    const due = await sql<{ connection_key: string }>`
      SELECT c.connection_key FROM connections c
       WHERE (c.last_synced_at IS NULL OR c.last_synced_at < now() - make_interval(secs => ${intervalSeconds}))
         AND NOT EXISTS (SELECT 1 FROM jobs j
                          WHERE j.type = ${SYNC_JOB_TYPE} AND j.state IN ('created', 'active', 'retry')
                            AND j.payload->>'connectionKey' = c.connection_key)
       ORDER BY c.last_synced_at NULLS FIRST
       FOR UPDATE SKIP LOCKED`.execute(trx);
    const keys = due.rows.map((r) => r.connection_key);
    for (const key of keys) {
      await enqueue(trx, registry, [
        { type: SYNC_JOB_TYPE, payload: { connectionKey: key, objectPath: [key] } },
      ]);
    }
    return keys;
  });
}
