import type { z } from 'zod';
import {
  type DataObjectRow,
  descendantOverrides,
  getAncestors,
  getObject,
  resolveSettings,
} from '../../../connections/object-tree.ts';
import type { Db } from '../../../store/schema.ts';
import type { dataObjectSchema, dataObjectSummarySchema } from '../../schemas/connections.ts';

/** A data object as the API shows it. */
export type DataObjectView = z.infer<typeof dataObjectSchema>;

/** The data source id of a table: its object id while it is active and present in the platform. */
export function dataSourceId(row: DataObjectRow): string | null {
  return row.kind === 'table' && row.state === 'active' && row.remote_status === 'present' ? row.id : null;
}

/** A data object in search results. */
export function summarizeObject(row: DataObjectRow): z.infer<typeof dataObjectSummarySchema> {
  return {
    id: row.id,
    objectPath: row.path,
    kind: row.kind,
    name: row.name,
    state: row.state,
    remoteStatus: row.remote_status,
    tableKind: row.table_kind,
    dataSourceId: dataSourceId(row),
  };
}

/** Builds the full view of an object: resolved settings, its own overrides, children and columns. */
export async function viewObject(db: Db, row: DataObjectRow): Promise<DataObjectView> {
  const ancestors = await getAncestors(db, row);
  const settings = resolveSettings(row, ancestors);
  const below = await descendantOverrides(db, row.id);
  const connection = await db
    .selectFrom('connections')
    .select('technology')
    .where('connection_key', '=', row.connection_key)
    .executeTakeFirst();
  const children = await db
    .selectFrom('data_objects')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('parent_id', '=', row.id)
    .executeTakeFirstOrThrow();
  const columns =
    row.kind === 'table'
      ? (
          await db
            .selectFrom('data_columns')
            .selectAll()
            .where('object_id', '=', row.id)
            .orderBy('position')
            .execute()
        ).map((c) => ({
          name: c.name,
          position: c.position,
          dataType: c.data_type,
          remoteType: c.remote_type,
          nullable: c.nullable,
          comment: c.comment,
        }))
      : undefined;
  return {
    id: row.id,
    objectPath: row.path,
    technology: connection?.technology ?? '',
    kind: row.kind,
    name: row.name,
    state: row.state,
    remoteStatus: row.remote_status,
    tableKind: row.table_kind,
    comment: row.comment,
    dataSourceId: dataSourceId(row),
    childCount: Number(children.n),
    settings: {
      isActive: { value: settings.isActive, hasDescendantsWithOverrides: below.isActive },
      activateNewChildren: {
        value: settings.activateNewChildren,
        hasDescendantsWithOverrides: below.activateNewChildren,
      },
      dataOwners: { value: settings.dataOwners, hasDescendantsWithOverrides: below.dataOwners },
    },
    overrides: {
      ...(row.is_active_override !== null ? { isActive: row.is_active_override } : {}),
      ...(row.activate_new_children_override !== null
        ? { activateNewChildren: row.activate_new_children_override }
        : {}),
      ...(row.data_owners_override !== null ? { dataOwners: row.data_owners_override } : {}),
    },
    ...(columns ? { columns } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    droppedAt: row.dropped_at?.toISOString() ?? null,
  };
}

/** `GET /data/object/{objectPath}`. */
export async function getObjectView(db: Db, path: readonly string[]): Promise<DataObjectView> {
  return viewObject(db, await getObject(db, path));
}
