import type { z } from 'zod';
import type { DataObjectRow } from '../../../connections/object-tree.ts';
import { dataSourceNames } from '../../../datasources/data-source-name.ts';
import { ownersOf } from '../../../datasources/data-source-roles.ts';
import { getDataSource, isEnabled } from '../../../datasources/data-source-row.ts';
import type { Db } from '../../../store/schema.ts';
import { loadObjectTags, tagsAt } from '../../../tags/object-tags.ts';
import type { dataSourceSchema, healthCheckSchema } from '../../schemas/data-sources.ts';

/** A data source as the API shows it. */
export type DataSourceView = z.infer<typeof dataSourceSchema>;

type HealthCheck = z.infer<typeof healthCheckSchema>;

/**
 * The health checks of a data source: `crawl` passes while object sync finds its table and fails once
 * it is dropped; `discovery` and `policyApplied` are `unknown` until those features run.
 */
export function healthChecks(row: DataObjectRow, lastSyncedAt: Date | null): HealthCheck[] {
  const synced = lastSyncedAt ? ` (last object sync ${lastSyncedAt.toISOString()})` : '';
  return [
    isEnabled(row)
      ? { name: 'crawl', status: 'passed', detail: `Object sync found the table${synced}.` }
      : {
          name: 'crawl',
          status: 'failed',
          detail: `The table was dropped from the platform${row.dropped_at ? ` at ${row.dropped_at.toISOString()}` : ''}.`,
        },
    { name: 'discovery', status: 'unknown', detail: 'Sensitive data discovery has not run on it.' },
    { name: 'policyApplied', status: 'unknown', detail: 'No policy is enforced on it yet.' },
  ];
}

/** Builds the full view of a data source: path, columns with tags and descriptions, owners, health. */
export async function viewDataSource(db: Db, row: DataObjectRow): Promise<DataSourceView> {
  const names = await dataSourceNames(db, [row]);
  const tags = await loadObjectTags(db, [row.id]);
  const columns = await db
    .selectFrom('data_columns')
    .selectAll()
    .where('object_id', '=', row.id)
    .orderBy('position')
    .execute();
  const connection = await db
    .selectFrom('connections')
    .select(['technology', 'last_synced_at'])
    .where('connection_key', '=', row.connection_key)
    .executeTakeFirst();
  const domain =
    row.domain_id === null
      ? undefined
      : await db
          .selectFrom('domains')
          .select(['id', 'name'])
          .where('id', '=', row.domain_id)
          .executeTakeFirst();
  const owners = await ownersOf(db, row);
  const checks = healthChecks(row, connection?.last_synced_at ?? null);
  return {
    id: row.id,
    name: names.get(row.id)!,
    objectPath: row.path,
    connectionKey: row.connection_key,
    technology: connection?.technology ?? '',
    database: row.path[1] ?? '',
    schema: row.path[2] ?? '',
    table: row.path[3] ?? '',
    tableKind: row.table_kind,
    comment: row.comment,
    status: isEnabled(row) ? 'enabled' : 'disabled',
    healthStatus: checks.some((c) => c.status === 'failed') ? 'notHealthy' : 'healthy',
    healthChecks: checks,
    domain: domain ?? null,
    tags: tagsAt(tags, row.id, ''),
    columns: columns.map((c) => ({
      name: c.name,
      position: c.position,
      dataType: c.data_type,
      remoteType: c.remote_type,
      nullable: c.nullable,
      comment: c.comment,
      description: c.description,
      tags: tagsAt(tags, row.id, c.name),
    })),
    owners,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    droppedAt: row.dropped_at?.toISOString() ?? null,
  };
}

/** `GET /dataSource/{id}`. */
export async function getDataSourceView(db: Db, id: string): Promise<DataSourceView> {
  return viewDataSource(db, await getDataSource(db, id));
}
