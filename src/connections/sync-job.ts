import { sql } from 'kysely';
import { requestDiscovery } from '../discovery/run-job.ts';
import { AppError } from '../errors/index.ts';
import type { JobContext, JobKind } from '../jobs/job-kind.ts';
import type { PlatformSession } from '../platforms/platform.ts';
import { requestEnforcement } from '../policy/request-enforcement.ts';
import type { AppDeps } from '../server/deps.ts';
import type { Db } from '../store/schema.ts';
import { connectionConfig, getConnectionRow, platformOf } from './load-connection.ts';
import {
  type DataObjectRow,
  getAncestors,
  getObject,
  hasActiveBelow,
  initialOverride,
  resolveSettings,
} from './object-tree.ts';
import { syncChildren } from './sync-children.ts';
import {
  markMissingTablesDropped,
  type SchemaContext,
  syncTableBatch,
  type TableCounts,
} from './sync-tables.ts';

/** The job type of object sync. */
export const SYNC_JOB_TYPE = 'connection.sync';

/** What an object sync job is asked to do: sync the hierarchy below one object. */
export interface SyncPayload {
  readonly connectionKey: string;
  readonly objectPath: readonly string[];
}

async function claimConnection(ctx: JobContext<SyncPayload, AppDeps>): Promise<void> {
  const claimed = await sql<{ key: string }>`
    UPDATE connections c SET syncing_job = ${ctx.job.id}::uuid
     WHERE c.connection_key = ${ctx.payload.connectionKey}
       AND (c.syncing_job IS NULL OR c.syncing_job = ${ctx.job.id}::uuid
            OR NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = c.syncing_job AND j.state = 'active'))
    RETURNING c.connection_key AS key`.execute(ctx.db);
  if (claimed.rows.length === 0) {
    // Another sync of this connection is running; this attempt fails and retries after a backoff.
    throw new Error(`Another object sync of ${ctx.payload.connectionKey} is running.`);
  }
}

async function releaseConnection(ctx: JobContext<SyncPayload, AppDeps>, finished: boolean): Promise<void> {
  await ctx.db
    .updateTable('connections')
    .set(finished ? { syncing_job: null, last_synced_at: new Date() } : { syncing_job: null })
    .where('connection_key', '=', ctx.payload.connectionKey)
    .where('syncing_job', '=', ctx.job.id)
    .execute();
}

interface Totals extends TableCounts {
  databases: number;
  schemas: number;
  dropped: number;
}

/** Whether the crawl goes below an object: when forced, or when it or something below it is active. */
async function descends(db: Db, row: DataObjectRow, force: boolean): Promise<boolean> {
  return row.remote_status === 'present' && (force || (await hasActiveBelow(db, row)));
}

/**
 * Object sync: reads the platform's catalog below one object and reconciles the stored hierarchy.
 * Databases and schemas are listed level by level; tables arrive in batches, so memory stays bounded
 * for catalogs of 100,000 tables. Per-schema outcomes are the job's items.
 */
async function runSync(ctx: JobContext<SyncPayload, AppDeps>): Promise<Record<string, unknown>> {
  const { deps, db, payload } = ctx;
  const row = await getConnectionRow(db, payload.connectionKey);
  const platform = platformOf(deps.platforms, row.technology);
  const force = (row.options as { forceRecursiveCrawl?: boolean }).forceRecursiveCrawl === true;
  const start = await getObject(db, payload.objectPath);
  await claimConnection(ctx);
  let finished = false;
  let session: PlatformSession | undefined;
  const totals: Totals = {
    databases: 0,
    schemas: 0,
    dropped: 0,
    added: 0,
    changed: 0,
    unchanged: 0,
    restored: 0,
    columnChanges: 0,
  };
  try {
    session = await platform.connect(connectionConfig(deps.keyring, row), ctx.signal);
    const ancestors = await getAncestors(db, start);
    const chain = [...ancestors, start];
    const root = chain[0]!;
    const activateNew = (r: DataObjectRow, above: DataObjectRow[]) =>
      resolveSettings(r, above).activateNewChildren;

    // Databases in scope.
    let databases: DataObjectRow[];
    if (start.kind === 'connection') {
      const names = await platform.listDatabases(session, ctx.signal);
      const result = await syncChildren(
        db,
        ctx.job.id,
        root,
        activateNew(root, []),
        names.map((name) => ({ name, comment: null })),
      );
      totals.dropped += result.dropped;
      databases = [...result.present.values()];
    } else {
      databases = [chain[1]!];
    }
    totals.databases = databases.length;

    for (const database of databases) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (start.kind !== 'schema' && start.kind !== 'table' && !(await descends(db, database, force)))
        continue;
      const dbAncestors = [root];
      // Schemas in scope.
      let schemas: DataObjectRow[];
      let createdSchemas = new Set<string>();
      if (start.kind === 'connection' || start.kind === 'database') {
        try {
          const listed = await platform.listSchemas(session, database.name, ctx.signal);
          const result = await syncChildren(
            db,
            ctx.job.id,
            database,
            activateNew(database, dbAncestors),
            listed,
          );
          totals.dropped += result.dropped;
          schemas = [...result.present.values()];
          createdSchemas = result.created;
        } catch (error) {
          ctx.item(database.path.join('/'), 'failed', {
            error: error instanceof AppError ? error.detail : String(error),
          });
          continue;
        }
      } else {
        schemas = [chain[2]!];
      }
      const scoped: DataObjectRow[] = [];
      for (const s of schemas) if (start.kind === 'table' || (await descends(db, s, force))) scoped.push(s);
      totals.schemas += scoped.length;
      if (scoped.length === 0) continue;
      const contexts = new Map<string, SchemaContext>();
      for (const schema of scoped) {
        const activate = activateNew(schema, [root, database]);
        contexts.set(schema.name, {
          row: schema,
          newTableOverride: initialOverride(schema, activate),
          isNew: createdSchemas.has(schema.id),
        });
      }
      // A table is synced by reading its schema and keeping only that table.
      const onlyTable = start.kind === 'table' ? start.name : undefined;
      const perSchema = new Map<string, number>();
      const unchanged: string[] = [];
      try {
        const batches = platform
          .readTables(session, database.name, [...contexts.keys()], ctx.signal)
          [Symbol.asyncIterator]();
        // The next batch is read from the platform while the current one is written to the store.
        let next = batches.next();
        for (;;) {
          const { value: batch, done } = await next;
          if (done) break;
          if (ctx.signal.aborted) throw ctx.signal.reason;
          next = batches.next();
          next.catch(() => {}); // a failed read is reported when it is awaited above
          const counts = await db
            .transaction()
            .execute((trx) =>
              syncTableBatch(
                trx,
                ctx.job.id,
                row.connection_key,
                batch,
                (t) => (onlyTable !== undefined && t.name !== onlyTable ? undefined : contexts.get(t.schema)),
                unchanged,
              ),
            );
          for (const key of Object.keys(counts) as Array<keyof TableCounts>) totals[key] += counts[key];
          for (const t of batch) perSchema.set(t.schema, (perSchema.get(t.schema) ?? 0) + 1);
          ctx.progress(totals.added + totals.changed + totals.unchanged);
        }
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        for (const schema of scoped) {
          ctx.item(schema.path.join('/'), 'failed', {
            error: error instanceof AppError ? error.detail : String(error),
          });
        }
        continue;
      }
      totals.dropped += await markMissingTablesDropped(
        db,
        ctx.job.id,
        scoped.map((s) => s.id),
        unchanged,
        onlyTable === undefined ? undefined : start.id,
      );
      for (const schema of scoped) {
        ctx.item(schema.path.join('/'), 'succeeded', { tables: perSchema.get(schema.name) ?? 0 });
      }
    }
    finished = true;
    // New tables, new columns and drift: enforcement follows every sync, and discovery of new columns.
    await requestEnforcement(db, [row.connection_key]);
    await requestDiscovery(db, [row.connection_key]);
    return { ...totals };
  } finally {
    await session?.close().catch(() => {});
    await releaseConnection(ctx, finished).catch(() => {});
  }
}

/** The object sync job kind: crawls a connection (or part of it) and reconciles the hierarchy. */
export const syncJobKind: JobKind<AppDeps, SyncPayload> = {
  type: SYNC_JOB_TYPE,
  maxAttempts: 5,
  timeoutSeconds: 3600,
  backoff: { baseMs: 2000, maxMs: 120_000 },
  run: runSync,
};
