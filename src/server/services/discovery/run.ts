import { recordAudit } from '../../../audit/record.ts';
import { getConnectionRow } from '../../../connections/load-connection.ts';
import { getObject } from '../../../connections/object-tree.ts';
import { getDataSource } from '../../../datasources/data-source-row.ts';
import type { DiscoveryMode } from '../../../discovery/apply-discovery.ts';
import { DISCOVERY_JOB_TYPE, DISCOVERY_LIMITS, type DiscoveryPayload } from '../../../discovery/run-job.ts';
import { hasPermission } from '../../../domain/actor.ts';
import { AppError, fieldError } from '../../../errors/index.ts';
import { enqueue } from '../../../jobs/enqueue.ts';
import type { Db } from '../../../store/schema.ts';
import type { ServiceContext } from '../../context.ts';
import { assertOnDataSource, auditingDenials } from '../datasources/authorize.ts';

/** What `POST /sdd/run` asks for: exactly one scope, and how to run. */
export interface RunRequest {
  readonly dataSourceIds?: readonly string[] | undefined;
  readonly connectionKey?: string | undefined;
  readonly objectPath?: readonly string[] | undefined;
  readonly mode: DiscoveryMode;
  readonly dryRun: boolean;
  readonly template?: string | undefined;
}

/** The jobs a run started, one per connection, under one bulk id. */
export interface RunResult {
  readonly bulkId: string;
  readonly jobs: Array<{ id: string; connectionKey: string; dataSources: number }>;
  readonly dataSources: number;
}

/** The active data sources below an object, by connection (all of them for a connection). */
async function dataSourcesBelow(
  db: Db,
  objectId: string,
): Promise<Array<{ id: string; connection_key: string }>> {
  return db
    .selectFrom('data_objects')
    .select(['id', 'connection_key'])
    .where('kind', '=', 'table')
    .where('state', '=', 'active')
    .where('remote_status', '=', 'present')
    .where((eb) => eb.or([eb('id', '=', objectId), eb(eb.val(objectId), '=', eb.fn.any('ancestor_ids'))]))
    .execute();
}

const governance = (ctx: ServiceContext, field: string): void => {
  if (!hasPermission(ctx.actor, 'GOVERNANCE')) {
    throw new AppError('AUTH_FORBIDDEN', `Discovering a whole ${field} needs the GOVERNANCE permission.`);
  }
};

/**
 * `POST /sdd/run`: starts discovery of some data sources, a connection, or everything below an object
 * path, as one job per connection under one bulk id. A connection or path needs GOVERNANCE; named data
 * sources need GOVERNANCE or being an owner or expert of each. `mode: newColumns` discovers only
 * columns never discovered; `dryRun` reports the tags without applying them; `template` runs a
 * framework other than the one each data source has.
 */
export async function runDiscovery(ctx: ServiceContext, request: RunRequest): Promise<RunResult> {
  const scopes = [request.dataSourceIds, request.connectionKey, request.objectPath].filter(
    (s) => s !== undefined,
  );
  if (scopes.length !== 1) {
    throw new AppError('REQUEST_INVALID', 'Give exactly one of dataSourceIds, connectionKey or objectPath.', {
      errors: [
        fieldError('body', ['dataSourceIds'], 'give exactly one of dataSourceIds, connectionKey, objectPath'),
      ],
    });
  }
  const result = await auditingDenials(ctx, () =>
    ctx.deps.store.db.transaction().execute(async (trx) => {
      if (request.template !== undefined) {
        const found = await trx
          .selectFrom('sdd_frameworks')
          .select('id')
          .where('name', '=', request.template)
          .executeTakeFirst();
        if (!found) {
          throw new AppError(
            'REQUEST_INVALID',
            `There is no framework ${JSON.stringify(request.template)}.`,
            {
              errors: [fieldError('body', ['template'], 'names no framework')],
            },
          );
        }
      }
      // Data source ids by connection; null means every data source of the connection.
      const byConnection = new Map<string, string[] | null>();
      if (request.dataSourceIds !== undefined) {
        for (const [i, id] of request.dataSourceIds.entries()) {
          const row = await getDataSource(trx, id).catch((error) => {
            throw new AppError('DATASOURCE_NOT_FOUND', `There is no data source ${id}.`, {
              errors: [fieldError('body', ['dataSourceIds', i], 'names no data source')],
              cause: error,
            });
          });
          await assertOnDataSource(trx, ctx, row, 'editMetadata');
          const list = byConnection.get(row.connection_key) ?? [];
          if (!list.includes(row.id)) list.push(row.id);
          byConnection.set(row.connection_key, list);
        }
      } else if (request.connectionKey !== undefined) {
        governance(ctx, 'connection');
        const row = await getConnectionRow(trx, request.connectionKey);
        byConnection.set(row.connection_key, null);
      } else {
        governance(ctx, 'object path');
        const row = await getObject(trx, request.objectPath!);
        if (row.kind === 'connection') byConnection.set(row.connection_key, null);
        else {
          for (const ds of await dataSourcesBelow(trx, row.id)) {
            byConnection.set(ds.connection_key, [...(byConnection.get(ds.connection_key) ?? []), ds.id]);
          }
        }
      }
      const counts = new Map<string, number>();
      for (const [key, ids] of byConnection) {
        if (ids !== null) counts.set(key, ids.length);
        else counts.set(key, (await dataSourcesBelow(trx, (await getObject(trx, [key])).id)).length);
      }
      const entries = [...byConnection];
      const { bulkId, jobIds } = await enqueue(
        trx,
        ctx.deps.jobs.registry,
        entries.map(([connectionKey, ids]) => ({
          type: DISCOVERY_JOB_TYPE,
          payload: {
            connectionKey,
            dataSourceIds: ids,
            mode: request.mode,
            dryRun: request.dryRun,
            template: request.template ?? null,
          } satisfies DiscoveryPayload,
          ...DISCOVERY_LIMITS,
        })),
        { createdBy: ctx.actor.type === 'USER_ACTOR' ? ctx.actor.id : null },
      );
      const jobs = entries.map(([connectionKey], i) => ({
        id: jobIds[i]!,
        connectionKey,
        dataSources: counts.get(connectionKey) ?? 0,
      }));
      const dataSources = jobs.reduce((n, j) => n + j.dataSources, 0);
      await recordAudit(trx, ctx, {
        action: 'SddRunRequested',
        targets: entries.map(([connectionKey]) => ({ type: 'connection', id: connectionKey })),
        payload: {
          bulkId,
          mode: request.mode,
          dryRun: request.dryRun,
          template: request.template ?? null,
          dataSourceIds: request.dataSourceIds ?? null,
          objectPath: request.objectPath ?? null,
          dataSources,
        },
      });
      return { bulkId, jobs, dataSources };
    }),
  );
  ctx.deps.jobs.wake();
  return result;
}
