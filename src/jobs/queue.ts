import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { Db, JobsTable } from '../store/schema.ts';
import type { ItemStatus } from './job-kind.ts';
import type { JobState } from './job-state.ts';

export { JOB_STATES, type JobState, TERMINAL_STATES } from './job-state.ts';

/** A job to enqueue. */
export interface NewJob {
  readonly type: string;
  readonly payload?: Record<string, unknown>;
  readonly maxAttempts?: number;
  readonly timeoutSeconds?: number;
  readonly runAfter?: Date;
  /** A job not started by then becomes `expired`. */
  readonly expireAt?: Date;
}

/** A job row, as the queue and the API see it. */
export interface JobRecord {
  readonly id: string;
  readonly bulkId: string;
  readonly type: string;
  readonly state: JobState;
  readonly payload: Record<string, unknown>;
  readonly output: Record<string, unknown> | null;
  readonly progress: { readonly done: number; readonly total: number | null };
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly error: string | null;
  readonly createdBy: number | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly runAfter: string;
  readonly leaseToken: number;
  readonly timeoutSeconds: number;
}

type JobRow = Selectable<JobsTable>;

/** Maps a stored row to a job record. */
export function toJobRecord(row: JobRow): JobRecord {
  const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: row.id,
    bulkId: row.bulk_id,
    type: row.type,
    state: row.state,
    payload: row.payload,
    output: row.output,
    progress: { done: row.progress_done, total: row.progress_total },
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    error: row.last_error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    runAfter: iso(row.run_after)!,
    leaseToken: row.lease_token,
    timeoutSeconds: row.timeout_seconds,
  };
}

/**
 * Enqueues jobs under one bulk id (new unless given), in the caller's transaction so a job exists
 * exactly when the change that asked for it commits. Wakes listening workers on commit.
 */
export async function enqueueJobs(
  db: Db,
  jobs: readonly NewJob[],
  options: { readonly bulkId?: string; readonly createdBy?: number | null } = {},
): Promise<{ bulkId: string; jobIds: string[] }> {
  const bulkId = options.bulkId ?? randomUUID();
  const jobIds = jobs.map(() => randomUUID());
  if (jobs.length === 0) return { bulkId, jobIds };
  await db
    .insertInto('jobs')
    .values(
      jobs.map((job, i) => ({
        id: jobIds[i]!,
        bulk_id: bulkId,
        type: job.type,
        state: 'created' as const,
        payload: JSON.stringify(job.payload ?? {}),
        max_attempts: job.maxAttempts ?? 3,
        timeout_seconds: job.timeoutSeconds ?? 3600,
        run_after: job.runAfter ?? new Date(),
        expire_at: job.expireAt ?? null,
        created_by: options.createdBy ?? null,
      })),
    )
    .execute();
  await sql`SELECT pg_notify('steward_jobs', ${bulkId})`.execute(db);
  return { bulkId, jobIds };
}

/** One job per connection to queue unless an equivalent one already waits. */
export interface PerConnectionJobs {
  readonly type: string;
  readonly connectionKeys: readonly string[];
  /** The payload of the job for one connection; it must hold `connectionKey`. */
  payload(connectionKey: string): Record<string, unknown>;
  /** Payload fields a waiting job must also have to count as equivalent (besides the connection). */
  readonly waitingMatch?: Readonly<Record<string, unknown>>;
  readonly runAfter: Date;
  readonly maxAttempts?: number;
  readonly timeoutSeconds?: number;
}

/**
 * Queues a job per connection unless one of the same type and `waitingMatch` already waits for it
 * (`created` or `retry`), so a burst of changes queues the work once. Call it in the transaction of the
 * change. Returns the keys given a new job.
 */
export async function enqueueOncePerConnection(db: Db, jobs: PerConnectionJobs): Promise<string[]> {
  const keys = [...new Set(jobs.connectionKeys)];
  if (keys.length === 0) return [];
  const { rows } = await sql<{ key: string }>`
    SELECT DISTINCT payload->>'connectionKey' AS key FROM jobs
     WHERE type = ${jobs.type} AND state IN ('created', 'retry')
       AND payload->>'connectionKey' = ANY(${keys}::text[])
       AND payload @> ${JSON.stringify(jobs.waitingMatch ?? {})}::jsonb`.execute(db);
  const waiting = new Set(rows.map((r) => r.key));
  const missing = keys.filter((k) => !waiting.has(k));
  await enqueueJobs(
    db,
    missing.map((connectionKey) => ({
      type: jobs.type,
      payload: jobs.payload(connectionKey),
      runAfter: jobs.runAfter,
      ...(jobs.maxAttempts === undefined ? {} : { maxAttempts: jobs.maxAttempts }),
      ...(jobs.timeoutSeconds === undefined ? {} : { timeoutSeconds: jobs.timeoutSeconds }),
    })),
  );
  return missing;
}

/**
 * Claims up to `limit` runnable jobs of the given types for a worker: `FOR UPDATE SKIP LOCKED`, so
 * concurrent claimers never take the same job; each claim bumps the lease token that fences out a
 * worker that lost its lease.
 */
export async function claimJobs(
  db: Db,
  worker: { readonly owner: string; readonly leaseMs: number },
  types: readonly string[],
  limit: number,
): Promise<JobRecord[]> {
  if (limit <= 0 || types.length === 0) return [];
  const result = await sql<JobRow>`
    UPDATE jobs j
       SET state = 'active',
           attempts = j.attempts + 1,
           lease_owner = ${worker.owner},
           lease_until = now() + make_interval(secs => ${worker.leaseMs / 1000}),
           lease_token = j.lease_token + 1,
           started_at = coalesce(j.started_at, now()),
           last_error = NULL
      FROM (SELECT id FROM jobs
             WHERE state IN ('created', 'retry') AND run_after <= now() AND type = ANY(${[...types]})
               AND (expire_at IS NULL OR expire_at > now() OR started_at IS NOT NULL)
             ORDER BY run_after, created_at
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) c
     WHERE j.id = c.id
 RETURNING j.*`.execute(db);
  return result.rows.map(toJobRecord);
}

/** A claimed job as its worker identifies it: id plus the lease token of the claim. */
export interface Lease {
  readonly id: string;
  readonly token: number;
}

/** Extends leases still held; returns the ids whose lease is lost or whose job was cancelled. */
export async function renewLeases(
  db: Db,
  worker: { readonly owner: string; readonly leaseMs: number },
  leases: readonly Lease[],
): Promise<Set<string>> {
  if (leases.length === 0) return new Set();
  const result = await sql<{ id: string }>`
    UPDATE jobs j SET lease_until = now() + make_interval(secs => ${worker.leaseMs / 1000})
      FROM unnest(${leases.map((l) => l.id)}::uuid[], ${leases.map((l) => l.token)}::int[]) AS l(id, token)
     WHERE j.id = l.id AND j.lease_token = l.token AND j.state = 'active' AND j.lease_owner = ${worker.owner}
 RETURNING j.id`.execute(db);
  const kept = new Set(result.rows.map((r) => r.id));
  return new Set(leases.filter((l) => !kept.has(l.id)).map((l) => l.id));
}

/** Writes progress and per-item results of a running job (only while its lease holds). */
export async function recordProgress(
  db: Db,
  lease: Lease,
  progress: { readonly done: number; readonly total: number | null },
  items: ReadonlyArray<{ item: string; status: ItemStatus; detail?: Record<string, unknown> }>,
): Promise<void> {
  const held = await db
    .updateTable('jobs')
    .set({ progress_done: progress.done, progress_total: progress.total })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.token)
    .where('state', '=', 'active')
    .executeTakeFirst();
  // A worker that lost its lease must not overwrite the item results of the one now holding it.
  if (items.length === 0 || held.numUpdatedRows === 0n) return;
  await db
    .insertInto('job_items')
    .values(
      items.map((i) => ({
        job_id: lease.id,
        item: i.item,
        status: i.status,
        detail: i.detail === undefined ? null : JSON.stringify(i.detail),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['job_id', 'item']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        detail: eb.ref('excluded.detail'),
        recorded_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/** Marks a job completed with its output, if the lease still holds; returns false when it was lost. */
export async function completeJob(db: Db, lease: Lease, output: Record<string, unknown>): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      state: 'completed',
      output: JSON.stringify(output),
      completed_at: sql<Date>`now()`,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.token)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a failed attempt: back to `retry` after `retryDelayMs` while attempts remain, else `failed`.
 * Returns the new state, or null when the lease was lost.
 */
export async function failJob(
  db: Db,
  lease: Lease,
  error: string,
  retryDelayMs: number,
  output: Record<string, unknown> | null,
): Promise<JobState | null> {
  const result = await sql<{ state: JobState }>`
    UPDATE jobs SET
      state = CASE WHEN attempts < max_attempts THEN 'retry' ELSE 'failed' END,
      run_after = now() + make_interval(secs => ${retryDelayMs / 1000}),
      completed_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
      last_error = ${error},
      output = coalesce(${output === null ? null : JSON.stringify(output)}::jsonb, output),
      lease_owner = NULL, lease_until = NULL
    WHERE id = ${lease.id} AND lease_token = ${lease.token} AND state = 'active'
    RETURNING state`.execute(db);
  return result.rows[0]?.state ?? null;
}

/** Hands a job back to the queue without counting the attempt (graceful shutdown). */
export async function releaseJob(db: Db, lease: Lease): Promise<void> {
  await sql`
    UPDATE jobs SET state = 'retry', attempts = greatest(attempts - 1, 0), run_after = now(),
                    lease_owner = NULL, lease_until = NULL
     WHERE id = ${lease.id} AND lease_token = ${lease.token} AND state = 'active'`.execute(db);
}

/**
 * Housekeeping any worker may run: jobs whose worker died (lease expired) go back to `retry`, or to
 * `failed` when out of attempts; jobs not started before their deadline become `expired`.
 */
export async function sweepJobs(db: Db): Promise<{ recovered: number; expired: number }> {
  const recovered = await sql`
    UPDATE jobs SET
      state = CASE WHEN attempts < max_attempts THEN 'retry' ELSE 'failed' END,
      completed_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
      run_after = now(),
      last_error = 'The worker running this job stopped before finishing it.',
      lease_owner = NULL, lease_until = NULL
    WHERE state = 'active' AND lease_until < now()`.execute(db);
  const expired = await sql`
    UPDATE jobs SET state = 'expired', completed_at = now(),
                    last_error = 'The job was not started before its deadline.'
     WHERE state IN ('created', 'retry') AND started_at IS NULL
       AND expire_at IS NOT NULL AND expire_at <= now()`.execute(db);
  return {
    recovered: Number(recovered.numAffectedRows ?? 0n),
    expired: Number(expired.numAffectedRows ?? 0n),
  };
}

/** Cancels jobs that have not finished; returns the ids actually cancelled. */
export async function cancelJobs(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('jobs')
    .set({ state: 'cancelled', completed_at: sql<Date>`now()`, lease_owner: null, lease_until: null })
    .where('id', 'in', [...ids])
    .where('state', 'in', ['created', 'retry', 'active'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
