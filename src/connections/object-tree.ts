import { type Selectable, sql } from 'kysely';
import { AppError } from '../errors/index.ts';
import type { DataObjectsTable, Db } from '../store/schema.ts';

/** A stored data object row. */
export type DataObjectRow = Selectable<DataObjectsTable>;

/** Depth of each kind in the hierarchy: connection → database → schema → table. */
export const DEPTH = { connection: 0, database: 1, schema: 2, table: 3 } as const;

/** The kind of object at each depth. */
export const KIND_AT_DEPTH = ['connection', 'database', 'schema', 'table'] as const;

/** Loads an object by its path (connection key first), or fails with OBJECT_NOT_FOUND. */
export async function getObject(db: Db, path: readonly string[]): Promise<DataObjectRow> {
  const row = await db
    .selectFrom('data_objects')
    .selectAll()
    .where('connection_key', '=', path[0] ?? '')
    .where('path', '=', sql<string[]>`${[...path]}::text[]`)
    .executeTakeFirst();
  if (!row) throw new AppError('OBJECT_NOT_FOUND', `There is no data object ${path.join('/')}.`);
  return row;
}

/** Loads the ancestors of an object, root first. */
export async function getAncestors(db: Db, row: DataObjectRow): Promise<DataObjectRow[]> {
  if (row.ancestor_ids.length === 0) return [];
  const rows = await db.selectFrom('data_objects').selectAll().where('id', 'in', row.ancestor_ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return row.ancestor_ids.map((id) => byId.get(id)!).filter(Boolean);
}

/** The inheritable settings of an object, resolved: its own override, else the nearest ancestor's. */
export interface ResolvedSettings {
  readonly isActive: boolean;
  readonly activateNewChildren: boolean;
  readonly dataOwners: unknown[];
}

/** Resolves an object's settings from its own overrides and its ancestors' (root first). */
export function resolveSettings(row: DataObjectRow, ancestors: readonly DataObjectRow[]): ResolvedSettings {
  const chain = [...ancestors, row];
  const nearest = <T>(pick: (r: DataObjectRow) => T | null): T | undefined => {
    for (let i = chain.length - 1; i >= 0; i--) {
      const v = pick(chain[i]!);
      if (v !== null && v !== undefined) return v;
    }
    return undefined;
  };
  return {
    isActive: row.is_active,
    activateNewChildren: nearest((r) => r.activate_new_children_override) ?? true,
    dataOwners: nearest((r) => r.data_owners_override) ?? [],
  };
}

/**
 * The override a new child gets. Below an inactive parent it inherits (children of inactive objects
 * stay inactive); below an active one it starts as `activateNewChildren` says, with an override only
 * when that differs from what it would inherit, so only the top of a newly found subtree carries one.
 */
export function initialOverride(parent: DataObjectRow, activateNewChildren: boolean): boolean | null {
  if (!parent.is_active) return null;
  return parent.is_active === activateNewChildren ? null : activateNewChildren;
}

/** Counts an object's descendants (for the 100,000-object cascade limit and delete answers). */
export async function countDescendants(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('data_objects')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(sql<boolean>`ancestor_ids @> ARRAY[${id}]::bigint[]`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Recomputes `is_active` and `state` below an object, level by level, after a setting changed: a
 * descendant without its own override follows its parent; one with an override keeps it.
 */
export async function recomputeBelow(db: Db, root: DataObjectRow): Promise<void> {
  const rootDepth = root.ancestor_ids.length;
  for (let depth = rootDepth + 1; depth <= DEPTH.table; depth++) {
    await sql`
      UPDATE data_objects c
         SET is_active = coalesce(c.is_active_override, p.is_active),
             state = CASE WHEN coalesce(c.is_active_override, p.is_active) THEN 'active' ELSE 'inactive' END,
             updated_at = now()
        FROM data_objects p
       WHERE c.parent_id = p.id
         AND c.ancestor_ids @> ARRAY[${root.id}]::bigint[]
         AND cardinality(c.ancestor_ids) = ${depth}
         AND c.is_active IS DISTINCT FROM coalesce(c.is_active_override, p.is_active)`.execute(db);
  }
}

/** Returns true when an object or anything below it is active, so a crawl must go below it. */
export async function hasActiveBelow(db: Db, row: DataObjectRow): Promise<boolean> {
  if (row.state === 'active') return true;
  const found = await db
    .selectFrom('data_objects')
    .select('id')
    .where(sql<boolean>`ancestor_ids @> ARRAY[${row.id}]::bigint[]`)
    .where('state', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/** Returns whether any descendant overrides each setting, for `{value, hasDescendantsWithOverrides}`. */
export async function descendantOverrides(
  db: Db,
  id: string,
): Promise<{ isActive: boolean; activateNewChildren: boolean; dataOwners: boolean }> {
  const row = await sql<{ a: boolean; n: boolean; o: boolean }>`
    SELECT coalesce(bool_or(is_active_override IS NOT NULL), false) AS a,
           coalesce(bool_or(activate_new_children_override IS NOT NULL), false) AS n,
           coalesce(bool_or(data_owners_override IS NOT NULL), false) AS o
      FROM data_objects WHERE ancestor_ids @> ARRAY[${id}]::bigint[]`.execute(db);
  const r = row.rows[0]!;
  return { isActive: r.a, activateNewChildren: r.n, dataOwners: r.o };
}
