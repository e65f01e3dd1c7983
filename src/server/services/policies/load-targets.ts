import { sql } from 'kysely';
import type { PlanTarget } from '../../../policy/access-plan.ts';
import type { Db } from '../../../store/schema.ts';

/** Which data sources to load: one connection's, some ids, or all. */
export interface TargetFilter {
  readonly connectionKey?: string;
  readonly dataSourceIds?: readonly string[];
}

interface TargetRow {
  id: string;
  connection_key: string;
  path: string[];
  tags: string[];
  columns: { name: string; dataType: string; tags: string[] }[];
}

/**
 * Loads data sources as planning sees them, in one query: active tables still present in the
 * platform, with their active tags and their columns (in column order) with theirs. Tags of a
 * dropped column count for nothing.
 */
export async function loadPlanTargets(db: Db, filter: TargetFilter = {}): Promise<PlanTarget[]> {
  const byConnection =
    filter.connectionKey === undefined ? sql`TRUE` : sql`o.connection_key = ${filter.connectionKey}`;
  const byId =
    filter.dataSourceIds === undefined
      ? sql`TRUE`
      : sql`o.id::text = ANY(${[...filter.dataSourceIds]}::text[])`;
  const { rows } = await sql<TargetRow>`
    SELECT o.id::text AS id, o.connection_key, o.path,
           coalesce((SELECT array_agg(t.name ORDER BY t.name) FROM object_tags ot JOIN tags t ON t.id = ot.tag_id
                      WHERE ot.object_id = o.id AND ot.column_name = '' AND ot.status = 'active'), '{}') AS tags,
           coalesce((SELECT json_agg(json_build_object(
                              'name', c.name, 'dataType', c.data_type,
                              'tags', coalesce((SELECT array_agg(t.name ORDER BY t.name) FROM object_tags ot
                                                  JOIN tags t ON t.id = ot.tag_id
                                                 WHERE ot.object_id = o.id AND ot.column_name = c.name
                                                   AND ot.status = 'active'), '{}'))
                            ORDER BY c.position)
                       FROM data_columns c WHERE c.object_id = o.id), '[]') AS columns
      FROM data_objects o
     WHERE o.kind = 'table' AND o.state = 'active' AND o.remote_status = 'present'
       AND ${byConnection} AND ${byId}
     ORDER BY o.id`.execute(db);
  return rows.map((r) => {
    const path = r.path;
    return {
      id: r.id,
      connectionKey: r.connection_key,
      database: path[path.length - 3] ?? '',
      schema: path[path.length - 2] ?? '',
      table: path[path.length - 1] ?? '',
      tags: r.tags,
      columns: r.columns,
    };
  });
}
