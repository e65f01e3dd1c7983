import { sql } from 'kysely';
import { connectionConfig, connectionOfJob, platformOf } from '../connections/load-connection.ts';
import { storeTimeIn } from '../entitlements/request-sync.ts';
import { safeErrorMessage } from '../errors/index.ts';
import type { JobContext, JobKind } from '../jobs/job-kind.ts';
import { enqueueOncePerConnection } from '../jobs/queue.ts';
import type { PlatformSession } from '../platforms/platform.ts';
import type { AppDeps } from '../server/deps.ts';
import type { Db } from '../store/schema.ts';
import { type ColumnChange, type DiscoveryMode, planTagChanges, recordDiscovery } from './apply-discovery.ts';
import { type DiscoveryColumn, discoverTable } from './discover-table.ts';
import { type FrameworkRow, frameworksOf, type ResolvedFramework, resolveFramework } from './registry.ts';

/** The job type of sensitive data discovery. */
export const DISCOVERY_JOB_TYPE = 'discovery.run';

/** Sessions one discovery job opens to its platform, each sampling one table at a time. */
export const DISCOVERY_SESSIONS = 3;

/** Attempts and time limit of one discovery job. */
export const DISCOVERY_LIMITS = { maxAttempts: 3, timeoutSeconds: 3600 } as const;

/** What a discovery job is asked to do: discover some (or all) data sources of one connection. */
export interface DiscoveryPayload {
  readonly connectionKey: string;
  /** The data sources to discover; null for every active data source of the connection. */
  readonly dataSourceIds: readonly string[] | null;
  /** `newColumns` discovers only columns discovery has never seen, leaving the others' tags alone. */
  readonly mode: DiscoveryMode;
  /** Compute and report the tags without applying or storing anything. */
  readonly dryRun: boolean;
  /** A framework to use instead of the one each data source has (a framework's dry run). */
  readonly template: string | null;
}

/**
 * Makes sure discovery of each connection's new columns runs soon (after a sync found new data
 * sources or columns): connections with no undiscovered column of an active data source get no job,
 * and at most one such job per connection waits in the queue. Call it in the transaction of the
 * change. Returns the keys given a new job.
 */
export async function requestDiscovery(
  db: Db,
  connectionKeys: readonly string[],
  delayMs = 200,
): Promise<string[]> {
  const undiscovered = await sql<{ key: string }>`
    SELECT k.key FROM unnest(${[...new Set(connectionKeys)]}::text[]) AS k(key)
     WHERE EXISTS (
       SELECT 1 FROM data_objects o JOIN data_columns c ON c.object_id = o.id
        WHERE o.connection_key = k.key AND o.kind = 'table' AND o.state = 'active'
          AND o.remote_status = 'present'
          AND NOT EXISTS (SELECT 1 FROM column_discovery d WHERE d.object_id = o.id AND d.column_name = c.name))`.execute(
    db,
  );
  const keys = undiscovered.rows.map((r) => r.key);
  if (keys.length === 0) return [];
  const waitingMatch = { mode: 'newColumns' as const, dataSourceIds: null };
  return enqueueOncePerConnection(db, {
    type: DISCOVERY_JOB_TYPE,
    connectionKeys: keys,
    payload: (connectionKey) =>
      ({ connectionKey, ...waitingMatch, dryRun: false, template: null }) satisfies DiscoveryPayload,
    waitingMatch,
    runAfter: await storeTimeIn(db, delayMs),
    ...DISCOVERY_LIMITS,
  });
}

/** A data source to discover, with the columns in scope. */
interface Candidate {
  readonly id: string;
  readonly path: readonly string[];
  readonly name: string;
  readonly columns: DiscoveryColumn[];
}

/** Loads the active, present data sources in scope with their columns (only undiscovered ones for `newColumns`). */
async function candidates(db: Db, payload: DiscoveryPayload): Promise<Candidate[]> {
  const ids = payload.dataSourceIds === null ? null : [...payload.dataSourceIds];
  const { rows } = await sql<{
    id: string;
    path: string[];
    name: string;
    column_name: string;
    data_type: string;
  }>`
    SELECT o.id::text AS id, o.path, o.name, c.name AS column_name, c.data_type
      FROM data_objects o
      JOIN data_columns c ON c.object_id = o.id
      LEFT JOIN column_discovery d ON d.object_id = o.id AND d.column_name = c.name
     WHERE o.connection_key = ${payload.connectionKey} AND o.kind = 'table'
       AND o.state = 'active' AND o.remote_status = 'present'
       AND (${ids}::bigint[] IS NULL OR o.id = ANY(${ids}::bigint[]))
       AND (${payload.mode} = 'all' OR d.object_id IS NULL)
     ORDER BY o.id, c.position`.execute(db);
  const out = new Map<string, Candidate>();
  for (const r of rows) {
    let c = out.get(r.id);
    if (!c) {
      c = { id: r.id, path: r.path, name: r.path.slice(1).join('.'), columns: [] };
      out.set(r.id, c);
    }
    c.columns.push({ name: r.column_name, dataType: r.data_type });
  }
  return [...out.values()];
}

/** The frameworks each data source uses, resolved once per framework. */
async function frameworks(
  db: Db,
  payload: DiscoveryPayload,
  ids: readonly string[],
): Promise<Map<string, ResolvedFramework>> {
  const rows = new Map<string, FrameworkRow>();
  if (payload.template !== null) {
    const row = await db
      .selectFrom('sdd_frameworks')
      .selectAll()
      .where('name', '=', payload.template)
      .executeTakeFirst();
    if (row) for (const id of ids) rows.set(id, row);
  } else {
    for (const [id, row] of await frameworksOf(db, ids)) rows.set(id, row);
  }
  const resolved = new Map<number, ResolvedFramework>();
  const out = new Map<string, ResolvedFramework>();
  for (const [id, row] of rows) {
    let r = resolved.get(row.id);
    if (!r) {
      r = await resolveFramework(db, row);
      resolved.set(row.id, r);
    }
    out.set(id, r);
  }
  return out;
}

/** The per-item detail of a discovered data source: per column, the verdict and the tag changes. */
function itemDetail(
  changes: readonly ColumnChange[],
  framework: string,
  rows: number,
): Record<string, unknown> {
  return {
    framework,
    sampledRows: rows,
    columns: changes.map((c) => ({
      column: c.column,
      identifier: c.identifier,
      tags: c.tags,
      added: c.added,
      removed: c.removed,
      rejected: c.rejected,
    })),
  };
}

/**
 * Discovery of one connection: for each data source in scope (one job item each), samples it inside
 * the platform, scores every column, and records the verdicts, tag changes and an audit event in one
 * transaction per data source; a dry run records nothing and reports the changes it would make.
 */
async function runDiscovery(ctx: JobContext<DiscoveryPayload, AppDeps>): Promise<Record<string, unknown>> {
  const { deps, db, payload } = ctx;
  const row = await connectionOfJob(db, payload.connectionKey, ctx.item);
  if (!row) return { skipped: 'connectionDeleted' };
  const platform = platformOf(deps.platforms, row.technology);
  const todo = await candidates(db, payload);
  const totals = {
    dataSources: todo.length,
    columns: 0,
    tagged: 0,
    added: 0,
    removed: 0,
    failed: 0,
    skipped: 0,
  };
  if (todo.length === 0) return totals;
  if (!platform.sampleHits) {
    for (const c of todo) {
      ctx.item(c.id, 'skipped', { reason: `Discovery does not run on ${row.technology} yet.` });
    }
    return { ...totals, skipped: todo.length };
  }
  const frameworkOf = await frameworks(
    db,
    payload,
    todo.map((c) => c.id),
  );
  ctx.progress(0, todo.length);
  let done = 0;
  /** Discovers and records one data source; failures become failed items, never a failed job. */
  const one = async (session: PlatformSession, c: Candidate): Promise<void> => {
    const framework = frameworkOf.get(c.id);
    if (!framework) {
      totals.skipped++;
      ctx.item(c.id, 'skipped', { reason: 'No discovery framework applies to this data source.' });
      return;
    }
    try {
      const found = await discoverTable(
        platform,
        session,
        {
          database: c.path[c.path.length - 3] ?? '',
          schema: c.path[c.path.length - 2] ?? '',
          table: c.path[c.path.length - 1] ?? '',
          columns: c.columns,
        },
        framework.identifiers,
        ctx.signal,
      );
      const discovery = {
        dataSourceId: c.id,
        connectionKey: payload.connectionKey,
        name: c.name,
        framework: framework.name,
        columns: found.columns,
      };
      const changes = payload.dryRun
        ? await planTagChanges(db, discovery, payload.mode)
        : await recordDiscovery(db, discovery, payload.mode, ctx.job.id);
      totals.columns += found.columns.length;
      totals.tagged += found.columns.filter((x) => x.tags.length > 0).length;
      totals.added += changes.reduce((n, x) => n + x.added.length, 0);
      totals.removed += changes.reduce((n, x) => n + x.removed.length, 0);
      ctx.item(c.id, 'succeeded', itemDetail(changes, framework.name, found.rows));
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      totals.failed++;
      ctx.item(c.id, 'failed', { error: safeErrorMessage(error) });
    }
  };
  // A few sessions work through the data sources side by side: the platform does the heavy work.
  const queue = [...todo];
  const workers = Math.min(DISCOVERY_SESSIONS, todo.length);
  const outcomes = await Promise.allSettled(
    Array.from({ length: workers }, async () => {
      let session: PlatformSession | undefined;
      try {
        session = await platform.connect(connectionConfig(deps.keyring, row), ctx.signal);
        for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
          if (ctx.signal.aborted) throw ctx.signal.reason;
          await one(session, c);
          ctx.progress(++done, todo.length);
        }
      } catch (error) {
        queue.length = 0; // the other workers stop after their current data source
        throw error;
      } finally {
        await session?.close().catch(() => {});
      }
    }),
  );
  const failure = outcomes.find((o) => o.status === 'rejected');
  if (failure) throw failure.reason;
  return { ...totals, dryRun: payload.dryRun, mode: payload.mode };
}

/** The discovery job kind. */
export const discoveryJobKind: JobKind<AppDeps, DiscoveryPayload> = {
  type: DISCOVERY_JOB_TYPE,
  ...DISCOVERY_LIMITS,
  backoff: { baseMs: 2000, maxMs: 60_000 },
  run: runDiscovery,
};
