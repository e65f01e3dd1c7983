import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { connectionConfig, connectionOfJob, platformOf } from '../connections/load-connection.ts';
import { safeErrorMessage } from '../errors/index.ts';
import type { JobContext, JobKind } from '../jobs/job-kind.ts';
import { ENTITLEMENT_TABLES, type PlatformSession } from '../platforms/platform.ts';
import type { AppDeps } from '../server/deps.ts';
import { computeEntitlements, countRows, nextExpiry } from './compute.ts';
import { loadDirectory } from './load.ts';
import {
  ENTITLEMENT_DEBOUNCE_MS,
  ENTITLEMENT_SYNC_JOB_TYPE,
  ENTITLEMENT_SYNC_LIMITS,
  type EntitlementSyncPayload,
  requestEntitlementSync,
  storeTimeIn,
} from './request-sync.ts';

async function recordOutcome(
  ctx: JobContext<EntitlementSyncPayload, AppDeps>,
  outcome: { pushedAt: Date; rows: number | null; error: string | null } | { error: string },
): Promise<void> {
  const set =
    'pushedAt' in outcome
      ? { pushed_at: outcome.pushedAt, pushed_rows: outcome.rows, last_error: outcome.error }
      : { last_error: outcome.error };
  await ctx.db
    .insertInto('entitlement_sync')
    .values({ connection_key: ctx.payload.connectionKey, ...set })
    .onConflict((oc) => oc.column('connection_key').doUpdateSet(set))
    .execute();
}

/**
 * Entitlement sync: computes the rows one connection's entitlement tables should hold from the
 * directory, pushes them (the platform writes only the difference) and records when and how many in
 * `entitlement_sync`; the job's items are the four tables. A change marked after the directory was
 * read queues another sync, and so does the next expiry of a subscription.
 */
async function runEntitlementSync(
  ctx: JobContext<EntitlementSyncPayload, AppDeps>,
): Promise<Record<string, unknown>> {
  const { deps, db, payload } = ctx;
  const row = await connectionOfJob(db, payload.connectionKey, ctx.item);
  if (!row) return { skipped: 'connectionDeleted' };
  const platform = platformOf(deps.platforms, row.technology);
  const began = performance.now();
  const snapshot = await loadDirectory(deps.store.db, payload.connectionKey);
  const loaded = performance.now();
  if (!platform.syncEntitlements) {
    await recordOutcome(ctx, {
      pushedAt: snapshot.at,
      rows: null,
      error: `${row.technology} takes no entitlement rows.`,
    });
    ctx.item(payload.connectionKey, 'skipped', { reason: `${row.technology} takes no entitlement rows.` });
    return { skipped: 'unsupported' };
  }
  const rows = computeEntitlements(snapshot.directory, snapshot.at);
  const computed = performance.now();
  ctx.progress(0, countRows(rows));
  let session: PlatformSession | undefined;
  let result: Awaited<ReturnType<NonNullable<typeof platform.syncEntitlements>>>;
  try {
    session = await platform.connect(connectionConfig(deps.keyring, row), ctx.signal);
    result = await platform.syncEntitlements(session, rows, ctx.signal);
  } catch (error) {
    const message = safeErrorMessage(error);
    await recordOutcome(ctx, { error: message }).catch(() => {});
    for (const table of ENTITLEMENT_TABLES) ctx.item(table, 'failed', { error: message });
    throw error;
  } finally {
    await session?.close().catch(() => {});
  }
  const pushed = performance.now();
  await recordOutcome(ctx, { pushedAt: snapshot.at, rows: countRows(rows), error: null });
  for (const table of ENTITLEMENT_TABLES) ctx.item(table, 'succeeded', { ...result.tables[table] });
  ctx.progress(countRows(rows));

  const { rows: marks } = await sql<{ changed_at: Date }>`
    SELECT changed_at FROM entitlement_sync WHERE connection_key = ${payload.connectionKey}`.execute(db);
  const changedSince = marks[0] !== undefined && marks[0].changed_at > snapshot.at;
  if (changedSince) {
    await requestEntitlementSync(db, [payload.connectionKey], await storeTimeIn(db, ENTITLEMENT_DEBOUNCE_MS));
  }
  const expiry = nextExpiry(snapshot.directory, snapshot.at);
  if (expiry) await requestEntitlementSync(db, [payload.connectionKey], expiry);
  return {
    rows: countRows(rows),
    inserted: result.inserted,
    deleted: result.deleted,
    requeued: changedSince,
    ms: {
      load: Math.round(loaded - began),
      compute: Math.round(computed - loaded),
      push: Math.round(pushed - computed),
    },
    ...(expiry ? { nextExpiry: expiry.toISOString() } : {}),
  };
}

/** The entitlement sync job kind: pushes one connection's entitlement rows to its platform. */
export const entitlementSyncJobKind: JobKind<AppDeps, EntitlementSyncPayload> = {
  type: ENTITLEMENT_SYNC_JOB_TYPE,
  ...ENTITLEMENT_SYNC_LIMITS,
  backoff: { baseMs: 1000, maxMs: 60_000 },
  run: runEntitlementSync,
};
